/**
 * An export gives its place among the questions answered at once up while Slack takes its file
 * (up to minutes, no event-loop time spent): two exports with a slow upload hold up nobody else's
 * question. Real Bolt, signed requests, the fake Slack Web API.
 */
import { describe, expect, it } from "vitest";
import { UPLOAD_ROUTE } from "../../fakes/slack-api.js";
import { commandRig } from "./command-rig.js";

describe("questions while two exports upload", () => {
  it("answers a third person's small question without waiting for the uploads", async () => {
    const c = await commandRig();
    c.slack.addUser({ id: "UBOB", name: "bob", email: "bob@example.com", tz: "UTC" });
    const UPLOAD_MS = 4000;
    c.slack.failNext(UPLOAD_ROUTE, { delayMs: UPLOAD_MS }, 2);
    const done: string[] = [];
    const exportOf = (user: string, q: string) =>
      c.command(q, user).then(async (s) => {
        await s.reply();
        done.push(`export ${user}`);
      });
    const exports = [
      exportOf("URESP", "since:1d format:csv"),
      exportOf("UALICE", "user:me since:1d format:csv"),
    ];
    await c.slack.waitFor(
      () => c.slack.callsTo("files.getUploadURLExternal").length === 2,
      5000,
      "both uploads started",
    );
    const bob = await (await c.command("user:me since:1d", "UBOB")).reply();
    done.push("bob");
    await Promise.all(exports);
    expect(bob).toContain("MCP call");
    expect(done[0]).toBe("bob");
    expect(done.slice(1).sort()).toEqual(["export UALICE", "export URESP"]);
  }, 20_000);
});
