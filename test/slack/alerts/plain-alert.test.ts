/**
 * An alert whose message cannot be drawn in full (a time in its events no date can hold) is still
 * posted, plainly, and never holds back the alerts after it. Real rig: HTTP to the fake Slack on
 * 127.0.0.1, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL, slackRig } from "../setup.js";

/** Past what a Date holds (8.64e15 ms): `toISOString` throws. */
const NO_DATE = 8_700_000_000_000_000;

describe("an alert that cannot be drawn in full", () => {
  it("is posted with its title and buttons, and the next alert after it as usual", async () => {
    const r = await slackRig();
    const broken = r.raise(
      { firstSeen: NO_DATE, lastSeen: NO_DATE, title: "deleteJiraIssue by <!channel> Mallory" },
      { time: NO_DATE },
    );
    r.raise({ title: "deleteJiraIssue by Bob" });
    await r.poster.drain();
    await r.slack.idle();

    const posted = r.slack.messages(CHANNEL);
    expect(posted.map((m) => m.text)).toEqual([
      "[HIGH] deleteJiraIssue by &lt;!channel&gt; Mallory",
      expect.stringContaining("[HIGH] deleteJiraIssue by Bob"),
    ]);
    const plain = JSON.stringify(posted[0]?.blocks);
    expect(plain).toContain(`Alert ${broken}: its details could not be shown`);
    expect(plain).toContain(`"action_id":"alert_acknowledge"`);
    expect(r.stores.outbox.byRef(`alert:org-1:${broken}`, "alert")?.state).toBe("delivered");
    expect(r.logs.text()).toContain(
      `alert ${broken} could not be drawn in full (Invalid time value)`,
    );
  });
});
