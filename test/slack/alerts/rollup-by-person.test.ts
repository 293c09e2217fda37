/**
 * The hour's roll-up counts alerts by person, each account once: two accounts that share a display
 * name are two people, told apart by their e-mails. Through the alert outbox, over real HTTP to
 * the fake Slack Web API, with a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL, slackRig } from "../setup.js";

describe("the hour's roll-up, by person", () => {
  it("counts two accounts that share a display name as two people", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    r.raise({ severity: "medium", title: "takes the hour's budget" });
    await r.poster.drain();
    for (const [account, email] of [
      ["acc-alex-1", "alex.kim@acme.com"],
      ["acc-alex-1", "alex.kim@acme.com"],
      ["acc-alex-2", "alex.kim@acme-labs.io"],
      ["acc-alex-2", "alex.kim@acme-labs.io"],
    ] as const)
      r.raise({ severity: "medium", userId: account, userName: "Alex Kim", userEmail: email });
    await r.poster.drain();
    const rollup = r.slack
      .messages(CHANNEL)
      .find((m) => m.metadata?.event_type === "mcp_alert_rollup");
    expect(rollup?.text).toBe("4 more alerts this hour, past the channel's 1 an hour");
    const fields = JSON.stringify(rollup?.blocks);
    expect(fields).toContain(
      "*By person*\\n• Alex Kim (alex.kim@acme-labs.io): 2\\n• Alex Kim (alex.kim@acme.com): 2",
    );
  });
});
