import { describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { queueDigest } from "../../src/slack/digest-outbox.js";
import { DAY } from "../../src/time-units.js";
import { T0 } from "../detect/fixtures.js";
import { boltApp } from "../slack/bolt.js";
import { CHANNEL, slackRig } from "../slack/setup.js";

const RESPONDER = "URESP";
/** Mondays 09:00 UTC: T0 (Wednesday 4 November) is in the week of 2 to 9 November. */
const CRON = "0 9 * * 1";
const WEEK_START = Date.UTC(2026, 10, 2, 9);
const WEEK_END = Date.UTC(2026, 10, 9, 9);

/** Alerts posted to the fake Slack, clicked through the real Bolt app, then the weekly digest. */
async function weekRig() {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  r.slack.addUser({ id: RESPONDER });
  const bolt = await boltApp(r, (app, people) =>
    registerAlertActions(app, r.actionDeps({ responders: people })),
  );
  r.stores.pollStates.save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: null,
      backfillFrom: WEEK_START - 14 * DAY,
      backfillUntil: WEEK_START - 7 * DAY,
      backfillDone: true,
    },
    WEEK_START - 7 * DAY,
  );
  const at = (time: number) => r.clock.advance(time - r.clock.now());
  const scheduler = (start = r.clock.now()) => {
    at(start);
    return new DigestScheduler({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      orgId: "org-1",
      cron: CRON,
      kind: "weekly",
      timeZone: "UTC",
      health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
      queue: (digest, now) => queueDigest(r.stores.outbox, digest, CHANNEL, now),
    });
  };
  /** Clicks a button on the message of alert `id`, as the responder. */
  const decide = async (id: number, actionId: string) => {
    const message = r.slack
      .messages(CHANNEL)
      .find((m) => m.metadata?.event_payload.alert_id === id);
    if (!message) throw new Error(`alert ${id} was not posted`);
    const sent = await bolt.click(actionId, RESPONDER, String(id), {
      channel: CHANNEL,
      ts: message.ts,
    });
    expect(sent.status).toBe(200);
    await r.slack.waitFor(() => r.alerts.get(id)?.status !== "open", 5000, `alert ${id} decided`);
  };
  const weekly = () =>
    r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_digest");
  return { ...r, at, scheduler, decide, weekly };
}

describe("the weekly digest", () => {
  it("posts the week's trend, what is new and each rule's outcomes from the buttons, once", async () => {
    const r = await weekRig();
    // Known before the week: Alice with getJiraIssue on acme.atlassian.net.
    r.raise({ createdAt: T0 - 6 * DAY }, { time: T0 - 6 * DAY });
    const scheduler = r.scheduler(T0);
    const tp = r.raise();
    const expected = r.raise();
    const open = r.raise();
    r.raise(
      { ruleId: "mcp-write", severity: "low", groupKey: "w", notify: false },
      {
        userId: "acc-bob",
        userName: "Bob Newcomer",
        tool: "createJiraProject",
        toolClass: "admin",
        siteHost: "new-site.atlassian.net",
      },
    );
    await r.poster.drain();
    await r.decide(tp, "alert_true_positive");
    await r.decide(expected, "alert_expected");
    expect(r.alerts.get(open)?.status).toBe("open");

    r.at(WEEK_END + 30_000);
    await scheduler.tick();
    await r.settled();
    await r.poster.drain();
    const [digest, ...more] = r.weekly();
    expect(more).toEqual([]);
    expect(digest?.metadata?.event_payload).toMatchObject({ period_end: WEEK_END });
    const text = JSON.stringify(digest?.blocks);
    expect(text).toContain("Weekly MCP activity digest");
    // The week before holds the one call from before: 1 → 4.
    expect(text).toContain("*4* MCP calls (▲300%) · *2* people (▲100%)");
    // Calls per day from Monday 09:00: the four of Wednesday 10:00 fall on the third day.
    expect(text).toContain("Mon 0 · Tue 0 · Wed 4 · Thu 0 · Fri 0 · Sat 0 · Sun 0");
    expect(text).toContain("Bob Newcomer");
    expect(text).toContain("createJiraProject (1 call, 1 person)");
    // Every call in the split, an admin one too.
    expect(text).toContain("read 3 · search 0 · write 0 · destructive 0 · admin 1");
    expect(text).toContain("new-site.atlassian.net (1 call, 1 person)");
    expect(text).not.toContain("getJiraIssue (");
    expect(text).toContain(
      "mcp-destructive: 3 raised · 1 true positive · 1 expected · 0 acknowledged · 1 open — 50% true of those decided",
    );
    expect(text).toContain(
      "mcp-write: 1 raised · 0 true positive · 0 expected · 0 acknowledged · 0 open · 1 digest only",
    );
    const record = r.stores.digests.byPeriod("org-1", "weekly", WEEK_END);
    expect(record).toMatchObject({ periodStart: WEEK_START, late: false, ts: digest?.ts });

    // Again, and after a restart in the same minute: nothing new.
    await scheduler.tick();
    await r.scheduler(WEEK_END + 40_000).catchUp();
    await r.poster.drain();
    expect(r.weekly()).toHaveLength(1);
  });

  it("after two weeks down, one late weekly digest covers both, from where the last one ended", async () => {
    const r = await weekRig();
    r.raise({ createdAt: T0 }, { time: T0 });
    await r.scheduler(WEEK_END + 60_000).catchUp();
    r.raise({ createdAt: WEEK_END + 3 * DAY }, { time: WEEK_END + 3 * DAY, id: "later" });
    await r.scheduler(WEEK_END + 14 * DAY + 3_600_000).catchUp();
    const weeks = r.stores.digests.list("org-1").filter((d) => d.kind === "weekly");
    expect(weeks.map((d) => [d.periodStart, d.periodEnd, d.late])).toEqual([
      [WEEK_START, WEEK_END, false],
      [WEEK_END, WEEK_END + 14 * DAY, true],
    ]);
    expect(weeks[1]?.message.text).toContain("1 MCP call by");
  });
});
