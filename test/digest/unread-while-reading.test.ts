/**
 * The first start's backfill of a large organization hits one transient 500
 * (the client's retries exhausted); the next poll resumes and reads on, page after page. The
 * digest's time passes while that poll is still reading. The log is being read, /healthz says
 * healthy: the channel must not be told the digest "cannot be made" because the poller fails.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { queueUnreadNotice } from "../../src/slack/digest-unread.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE } from "../../src/time-units.js";
import { until } from "../helpers/until.js";
import { rig } from "../ingest/setup.js";

/** A 6-field cron expression (with seconds) for one moment of the day, in UTC. */
function cronAt(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
}

describe("a digest due while the backfill reads on after one transient failure", () => {
  it("posts no 'cannot be made' notice while the poller reads the log and is healthy", async () => {
    const stop = new AbortController();
    let polls = 0;
    const r = await rig({
      hours: 10,
      poller: {
        batchSize: 50,
        backfillDays: 1,
        intervalMs: 60 * MINUTE,
        onPoll: () => {
          polls++;
          stop.abort();
        },
      },
    });
    const stores = repositories(r.db);

    // The first poll: the events stream answers 500 to every retry, the poll fails.
    r.sim.injectFault({ kind: "server-error" }, { times: 5 });
    await r.poller.run(stop.signal);
    expect(polls).toBe(1);
    expect(r.poller.health().lastError?.kind).toBe("server");

    // The next poll resumes: its first page comes at once, the second slowly (a large org's
    // backfill reads for hours; this one for a second and a half of real time).
    r.sim.injectFault({ kind: "delay", ms: 1 });
    r.sim.injectFault({ kind: "delay", ms: 1_500 });
    const resumed = r.poller.pollOnce();
    onTestFinished(async () => {
      await resumed.catch(() => undefined);
    });
    await until(() => r.count() > 0, "the resumed backfill stores its first page");

    // The digest's time passes now, while the poll reads on.
    const due = Math.ceil((r.clock.now() + MINUTE) / MINUTE) * MINUTE;
    const scheduler = new DigestScheduler({
      stores,
      clock: r.clock,
      logger: r.logs.logger,
      orgId: r.sim.orgId,
      cron: cronAt(due),
      timeZone: "UTC",
      health: () => {
        const polling = r.poller.health();
        return {
          lagSeconds: polling.lagSeconds,
          quarantined: polling.quarantined,
          keyRejected: polling.keyRejected,
          lastError: polling.lastError?.message ?? null,
        };
      },
      // As the bot wires it (src/watched-organization.ts).
      pollerFailing: () => !r.poller.health().healthy,
      unread: (digest, now) =>
        queueUnreadNotice(
          stores.outbox,
          { orgId: r.sim.orgId, channel: "C0ALERTS", organization: undefined },
          digest,
          now,
        ),
    });
    r.clock.advance(due + 5_000 - r.clock.now());
    await scheduler.tick();

    // The poller reads the log and is healthy: /healthz answers 200.
    expect(r.poller.health().healthy).toBe(true);
    expect(stores.pollStates.backfilling(r.sim.orgId)).toBe(true);
    const notices = r.db
      .prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'notice'")
      .all()
      .map((row) => (JSON.parse(row.payload) as { text: string }).text);
    // Not "⚠️ The daily digest due … cannot be made: … The poller's last error: … 500 …".
    expect(notices).toEqual([]);
    expect(r.logs.text()).toContain("the history is still being read");
    await resumed;
  }, 30_000);
});
