/**
 * A reply posted to a response URL that fails: a 5xx is tried once more, and a reply still lost
 * is said in the log with who had no answer and why, never with the URL. Real Bolt on 127.0.0.1,
 * signed commands and clicks, the fake Slack's response URLs.
 */
import { describe, expect, it } from "vitest";
import { ANSWER_IN_ACK_MS } from "../../../src/slack/commands/slash-command.js";
import { RESPOND_ROUTE } from "../../fakes/slack-api.js";
import { until } from "../../helpers/until.js";
import { commandRig } from "./command-rig.js";

/** A responder, Alice (not one), and one call, stored. */
async function rig() {
  const r = await commandRig();
  /** The log lines saying a reply was lost. */
  const lost = () => r.logs.lines().filter((l) => String(l.msg).includes("was lost"));
  return { ...r, lost };
}

describe("a slow answer whose response URL fails", () => {
  it("is posted again once after a 5xx, and shown", async () => {
    const r = await rig();
    r.slack.failNext("users.info", { delayMs: ANSWER_IN_ACK_MS + 500 }); // misses the ack
    r.slack.failNext(RESPOND_ROUTE, { status: 500 });
    const sent = await r.command("since:1d", "URESP");
    expect(sent.acknowledgement).toBe("");
    expect(await sent.body()).toMatchObject({ text: "1 MCP call · 1 person · 1 tool · 1 site" });
    expect(r.lost()).toEqual([]);
  });

  it("failing again, is said in the log as a lost answer to that person, without the URL", async () => {
    const r = await rig();
    r.slack.failNext("users.info", { delayMs: ANSWER_IN_ACK_MS + 500 });
    r.slack.failNext(RESPOND_ROUTE, { status: 500 }, 2);
    expect((await r.command("since:1d", "URESP")).status).toBe(200);
    await until(() => r.lost().length > 0, "the lost answer logged");
    expect(r.lost()).toEqual([
      expect.objectContaining({ level: 40, user: "URESP", asked: "since:1d", status: 500 }),
    ]);
    expect(r.slack.responses).toEqual([]);
    expect(r.logs.text()).not.toContain("/respond/");
    expect(r.logs.text()).not.toContain("An unhandled error occurred");
  });
});

describe("a refusal to someone not a responder, whose response URL has expired", () => {
  it("is said in the log once, not posted again", async () => {
    const r = await rig();
    r.slack.failNext(RESPOND_ROUTE, { error: "expired_url" }); // a 404
    const value = JSON.stringify({ v: 1, q: "rule:mcp-destructive since:1d" });
    expect((await r.click("query_more", "UALICE", value)).status).toBe(200);
    await until(() => r.lost().length > 0, "the lost refusal logged");
    expect(r.lost()).toEqual([
      expect.objectContaining({ user: "UALICE", asked: "query_more", status: 404 }),
    ]);
    // Not tried again: a second post would have been taken.
    expect(r.slack.responses).toEqual([]);
    expect(r.logs.text()).not.toContain("/respond/");
  });
});
