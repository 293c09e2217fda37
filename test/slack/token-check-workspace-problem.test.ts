import { describe, expect, it } from "vitest";
import { TOKEN_CHECK_MS } from "../../src/slack/outbox/token-check.js";
import { MINUTE } from "../../src/time-units.js";
import { problemNow, slackRig } from "./setup.js";

/**
 * A problem of the workspace (not the token's, nor SLACK_API_URL's) met by the periodic auth.test
 * stays the token check's: the alert channel is not looked up every minute for it, and the log
 * says it once.
 */
describe("a workspace setup problem met by the token check", () => {
  it("is said once, not once a minute", async () => {
    const r = await slackRig();
    expect(await r.poster.verify()).toBe(true);
    r.slack.failNext("auth.test", { error: "org_login_required" }, 100);
    r.slack.failNext("conversations.info", { error: "org_login_required" }, 100);
    r.clock.advance(TOKEN_CHECK_MS);
    await r.poster.drain();
    expect(problemNow(r)).toMatch(/being migrated/);
    for (let i = 0; i < 10; i++) {
      r.clock.advance(MINUTE);
      await r.poster.drain();
    }
    const warned = r.logs
      .lines()
      .filter((l) => (l.level as number) >= 40 && String(l.msg).includes("org_login_required"));
    expect(warned.map((l) => l.msg)).toHaveLength(1);
    expect(r.slack.callsTo("conversations.info").length).toBeLessThanOrEqual(2);
  });
});
