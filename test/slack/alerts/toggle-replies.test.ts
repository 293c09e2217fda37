/**
 * A responder pressing "Expected, mute 7 days" and "Undo (reopen)" in turn on one alert: its
 * thread says what the quieting is now and who left it so, not every press. Through real Bolt,
 * signed clicks, the fake Slack and the outbox on a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { STATE_REPLY_MS } from "../../../src/slack/alerts/state-reply.js";
import { askRig, RESPONDER } from "../people/ask-rig.js";

describe("a responder toggling one alert's mute", () => {
  it("posts the first reply at once and the latest state once a few minutes passed", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-write", severity: "low" });
    const presses = 20;
    for (let i = 0; i < presses; i++) {
      const action = i % 2 === 0 ? "alert_expected_mute" : "alert_reopen";
      const updates = a.top(where.ts)?.updates ?? 0;
      await a.click(action, RESPONDER, String(id), where);
      await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > updates, 5000, `press ${i}`);
      await a.settled();
      a.clock.advance(2_000); // two seconds between presses
    }
    // The first press is said at once; the 19 after it wait, the latest replacing the others.
    const thread = a.thread(where.ts);
    expect(thread).toHaveLength(1);
    expect(thread[0]).toContain(`<@${RESPONDER}> marked this expected and muted`);
    a.clock.advance(STATE_REPLY_MS);
    await a.poster.drain();
    const after = a.thread(where.ts);
    expect(after).toHaveLength(2);
    // The last press was Undo (reopen): the mute it set ended.
    expect(after[1]).toContain(`<@${RESPONDER}> ended the mute of mcp-write alerts about`);
    expect(a.stores.alerts.get(id)?.status).toBe("open");
    // Every press is in the trail all the same.
    expect(a.trail.history("org-1", id).length).toBeGreaterThanOrEqual(presses);
  });
});
