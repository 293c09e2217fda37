import { afterEach, describe, expect, it } from "vitest";
import { type ConsoleSink, ConsoleSlack } from "../../src/console/slack-api.js";

const started: ConsoleSlack[] = [];
afterEach(async () => {
  for (const slack of started.splice(0)) await slack.close();
});

const USER = { id: "UCONSOLE1", name: "you", email: "you@console.invalid", timeZone: "UTC" };

describe("the console's stand-in for Slack", () => {
  it("answers only the app of its run: another local process gets 404 and shows nothing", async () => {
    const shown: string[] = [];
    const sink: ConsoleSink = {
      message: (m) => shown.push(`message ${m.text}`),
      ephemeral: (b) => shown.push(`ephemeral ${b.text}`),
      file: (name) => shown.push(`file ${name}`),
    };
    const slack = new ConsoleSlack(sink, USER);
    started.push(slack);
    await slack.start();
    const url = new URL(slack.apiUrl);
    expect(url.hostname).toBe("127.0.0.1");
    expect(url.pathname).toMatch(/^\/[0-9a-f]{32}\/api\/$/);
    const origin = url.origin;
    const form = (body: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body).toString(),
    });
    for (const [path, body] of [
      ["/api/conversations.history", { channel: "CCONSOLE1" }],
      ["/api/chat.postMessage", { channel: "CCONSOLE1", text: "\u001b[2Jowned" }],
      ["/respond/1", { text: "\u001b]0;owned\u0007" }],
      ["/upload/FCONSOLE1", { x: "y" }],
    ] as const) {
      const response = await fetch(`${origin}${path}`, form(body));
      expect(response.status, path).toBe(404);
    }
    expect(shown).toEqual([]);
    // The app, which was given the secret URL, is answered.
    const own = await fetch(
      `${slack.apiUrl}chat.postMessage`,
      form({ channel: "CCONSOLE1", text: "hello" }),
    );
    expect(await own.json()).toMatchObject({ ok: true });
    expect(shown).toEqual(["message hello"]);
  });

  it("shows a reply given in the app's acknowledgement like one posted to a response URL", async () => {
    const shown: Array<{ text: string; blocks: readonly unknown[] }> = [];
    const sink: ConsoleSink = {
      message: () => undefined,
      ephemeral: (b) => shown.push(b),
      file: () => undefined,
    };
    const slack = new ConsoleSlack(sink, USER);
    started.push(slack);
    await slack.start();
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*status*" } }];
    slack.acknowledged(JSON.stringify({ response_type: "ephemeral", text: "healthy", blocks }));
    await fetch(slack.responseUrl(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "later", blocks }),
    });
    expect(shown).toEqual([
      { text: "healthy", blocks },
      { text: "later", blocks },
    ]);
  });
});
