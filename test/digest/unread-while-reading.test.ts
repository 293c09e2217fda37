/**
 * A digest due while the first start's backfill has read nothing or part of the audit log: the
 * channel is told it cannot be made only when the poller fails to read, not after one failure it
 * read on after. The real poller and the Atlassian simulator on 127.0.0.1, a real SQLite file, a
 * virtual clock.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { pollerFails } from "../../src/digest/not-read.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { queueUnreadNotice } from "../../src/slack/digest-unread.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE } from "../../src/time-units.js";
import { until } from "../helpers/until.js";
import { rig } from "../ingest/setup.js";

type Rig = Awaited<ReturnType<typeof rig>>;

/** A poller polling hourly, a poll at a time (each run stops after one). */
async function hourly(batchSize?: number) {
  const stop = new AbortController();
  const r = await rig({
    hours: 10,
    poller: {
      ...(batchSize === undefined ? {} : { batchSize }),
      backfillDays: 1,
      intervalMs: 60 * MINUTE,
      onPoll: () => stop.abort(),
    },
  });
  return { r, stop };
}

/** The daily digest, scheduled `minutes` from now, wired as the bot wires it; its time passed. */
async function digestDue(r: Rig, minutes: number): Promise<string[]> {
  const stores = repositories(r.db);
  const due = Math.ceil((r.clock.now() + minutes * MINUTE) / MINUTE) * MINUTE;
  const at = new Date(due);
  const scheduler = new DigestScheduler({
    stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: r.sim.orgId,
    cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`,
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
    pollerFailing: () => pollerFails(r.poller.health()),
    unread: (digest, now) =>
      queueUnreadNotice(
        stores.outbox,
        { orgId: r.sim.orgId, channel: "C0ALERTS", organization: undefined },
        digest,
        now,
      ),
  });
  await scheduler.catchUp();
  r.clock.advance(due + 5_000 - r.clock.now());
  await scheduler.tick();
  return r.db
    .prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'notice'")
    .all()
    .map((row) => (JSON.parse(row.payload) as { text: string }).text);
}

describe("a digest due while the first start's backfill reads the audit log", () => {
  it("posts no 'cannot be made' notice after one failure the backfill reads on after, before its first commit", async () => {
    // The default batch (2,000 events) spans many pages: the resumed poll reads a while before
    // it commits.
    const { r, stop } = await hourly();
    // The first poll: the events stream answers 500 to every retry, the poll fails.
    r.sim.injectFault({ kind: "server-error" }, { times: 5 });
    await r.poller.run(stop.signal);
    expect(r.poller.health().lastError?.kind).toBe("server");
    r.sim.clearRequests();
    // The resumed poll: its first page at once, the second slowly (a large org, a slow API).
    r.sim.injectFault({ kind: "delay", ms: 1 });
    r.sim.injectFault({ kind: "delay", ms: 1_500 });
    const resumed = r.poller.pollOnce();
    onTestFinished(async () => {
      await resumed.catch(() => undefined);
    });
    const stream = () => r.sim.requests.filter((q) => q.path.includes("events-stream"));
    await until(
      () => stream().some((q) => q.status === 200) && stream().length >= 2,
      "the resumed backfill has read its first page and asks for the second",
    );
    const notices = await digestDue(r, 1);
    expect(r.poller.health().healthy).toBe(true);
    expect(notices).toEqual([]);
    expect(r.logs.text()).toContain("the history is still being read");
    await resumed;
  }, 30_000);

  it("posts none either when the clock was stepped back after the failure (order, not time)", async () => {
    const { r, stop } = await hourly(50);
    r.sim.injectFault({ kind: "server-error" }, { times: 5 });
    await r.poller.run(stop.signal);
    // NTP steps the host's clock back 30 minutes; the backfill reads on.
    r.clock.advance(-30 * MINUTE);
    r.sim.injectFault({ kind: "delay", ms: 1 });
    r.sim.injectFault({ kind: "delay", ms: 1_500 });
    const resumed = r.poller.pollOnce();
    onTestFinished(async () => {
      await resumed.catch(() => undefined);
    });
    await until(() => r.count() > 0, "the resumed backfill stores its first page");
    expect(await digestDue(r, 1)).toEqual([]);
    await resumed;
  }, 30_000);

  it("tells the channel when nothing was ever read (502 on every call), long before the poller goes stale", async () => {
    const { r, stop } = await hourly();
    r.sim.injectFault(
      { kind: "status", status: 502, body: "<html>Bad gateway</html>", contentType: "text/html" },
      { times: 10_000, scope: "any" },
    );
    await r.poller.run(stop.signal);
    expect(r.count()).toBe(0);
    // Ten minutes later: three hourly intervals have not passed, the poller is not stale yet.
    const notices = await digestDue(r, 10);
    expect(r.poller.health().healthy).toBe(true);
    expect(r.logs.text()).not.toContain("the history is still being read");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("cannot be made");
    expect(notices[0]).toContain("502");
  }, 30_000);
});
