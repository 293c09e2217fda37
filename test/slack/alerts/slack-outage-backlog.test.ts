/**
 * The morning after Slack was out of reach for the night, or the bot removed from the alert channel
 * (not_in_channel): what the channel gets once it takes posts again.
 * The outbox and the fake Slack Web API on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL, slackRig } from "../setup.js";
import { alertsEachHour, catchUp } from "./outage-rig.js";

describe("the alert channel taking no post for eight hours, then back", () => {
  it.each([
    ["Slack out of reach", { status: 500 }],
    ["the bot removed from the channel", { error: "not_in_channel" }],
  ] as const)(
    "%s: holds alerts back meanwhile, then catches the channel up with the most severe alone and one summary",
    async (_, failure) => {
      const r = await slackRig();
      let down = true;
      r.slack.failNext("chat.postMessage", failure, 100_000, () => down);
      // Every hour of the outage, 12 medium alerts about 12 people (the budget is 10 an hour).
      await alertsEachHour(r, { hours: 8, perHour: 12 });
      down = false;
      await catchUp(r);
      const top = r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
      const alone = top.filter((m) => m.metadata?.event_type === "mcp_alert");
      if (process.env.SHOW)
        console.log(
          top
            .map((m) => `${new Date(Number(m.ts) * 1000).toISOString()} ${m.text.slice(0, 90)}`)
            .join("\n"),
        );
      // 96 alerts waited. Held back while Slack was out: the post that kept trying and one that may
      // have reached it (looked up), then, as for any backlog larger than a minute of posting, the
      // ten most severe alone and the rest in one summary (docs/rules.md, Delivery).
      expect(
        alone.length,
        `${top.length} messages posted at once when Slack came back`,
      ).toBeLessThanOrEqual(12);
      expect(top.filter((m) => m.metadata?.event_type === "mcp_alert_summary")).toHaveLength(1);
      expect(top).toHaveLength(alone.length + 1); // no roll-up of an hour long gone
      // Every alert is in the channel, alone or counted in the summary.
      const shown = r.db
        .prepare("SELECT count(*) FROM deliveries WHERE ts IS NOT NULL")
        .pluck()
        .get();
      expect(shown).toBe(96);
    },
    120_000,
  );
});
