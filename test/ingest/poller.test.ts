import { describe, expect, it, onTestFinished } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { until } from "../helpers/until.js";
import { DAY, MINUTE, NOW, rig, storedIds, validIds } from "./setup.js";

/** A clock whose pauses last until they are ended, as an hour's pause does to a test. */
function heldClock(pauses: number[]) {
  return {
    now: () => NOW,
    sleep: (ms: number, signal?: AbortSignal) => {
      pauses.push(ms);
      return new Promise<void>((resolve) => {
        if (signal?.aborted) resolve();
        else signal?.addEventListener("abort", () => resolve(), { once: true });
      });
    },
  };
}

function streamRequests(r: Awaited<ReturnType<typeof rig>>) {
  return r.sim.requests.filter((req) => req.path.endsWith("/events-stream"));
}

/** The poller running (stopped when the test ends), once it has asked for a page. */
async function runningUntilAPage(r: Awaited<ReturnType<typeof rig>>) {
  const stop = new AbortController();
  const running = r.poller.run(stop.signal);
  onTestFinished(() => stop.abort());
  await until(() => streamRequests(r).length > 0, "a page asked for");
  return { stop, running };
}

describe("poller against the simulator", () => {
  it("pages through the backfill, then resumes from the kept cursor", async () => {
    const r = await rig({ hours: 10 });
    const first = await r.poller.pollOnce();
    expect(first.backfill).toBe(true);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
    expect(first.stored).toBe(600);
    expect(first.pages).toBeGreaterThanOrEqual(12);
    const firstRequest = streamRequests(r)[0];
    expect(firstRequest?.query).toMatchObject({
      limit: "50",
      sortOrder: "asc",
      from: String(NOW - 7 * DAY),
    });
    expect(firstRequest?.authorized).toBe(true);

    r.sim.clearRequests();
    r.clock.advance(30 * MINUTE);
    const second = await r.poller.pollOnce();
    expect(second).toMatchObject({ stored: 30, duplicates: 0, backfill: false });
    expect(streamRequests(r)[0]?.query.cursor).toBeTruthy();
    expect(streamRequests(r)[0]?.query.from).toBeUndefined();
    expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()));
  });

  it("stores live events in short transactions, the cursor with the last one", async () => {
    const seen: Array<{ stored: number; cursor: string | null | undefined }> = [];
    let r: Awaited<ReturnType<typeof rig>> | undefined;
    r = await rig({
      hours: 1,
      poller: {
        pageLimit: 200,
        onCommit: () => {
          if (!r) return;
          const state = repositories(r.db).pollStates.get(r.sim.orgId);
          seen.push({ stored: r.count(), cursor: state?.cursor });
        },
      },
    });
    await r.poller.pollOnce();
    expect(seen).toHaveLength(1); // the backfill: one transaction
    const before = repositories(r.db).pollStates.get(r.sim.orgId)?.cursor;
    seen.length = 0;
    r.clock.advance(100 * MINUTE);
    expect(await r.poller.pollOnce()).toMatchObject({ stored: 100, backfill: false });
    expect(seen.map((c) => c.stored - 60)).toEqual([40, 80, 100]);
    expect(seen.slice(0, 2).every((c) => c.cursor === before)).toBe(true);
    expect(seen[2]?.cursor).not.toBe(before);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()));
  });

  it("counts a backfill a restart cut short whole in its progress and its last line", async () => {
    const stop = new AbortController();
    let commits = 0;
    const r = await rig({
      hours: 10,
      poller: { batchSize: 100, onCommit: () => ++commits === 3 && stop.abort() },
    });
    await r.poller.pollOnce(stop.signal);
    expect(r.count()).toBe(300);
    expect(r.logs.text()).not.toContain("backfill done");
    // Started again (as after a restart): this poll stores the rest, the log counts them all.
    expect((await r.poller.pollOnce()).stored).toBe(300);
    expect(r.logs.text()).toContain("backfill done: 600 events stored");
  });

  it("marks history as backfilled and what arrives later as live", async () => {
    const r = await rig({ hours: 2 });
    await r.poller.pollOnce();
    r.clock.advance(10 * MINUTE);
    await r.poller.pollOnce();
    expect(r.count("backfilled = 1")).toBe(120);
    expect(r.count("backfilled = 0")).toBe(10);
  });

  it("stores an id seen on two pages once", async () => {
    const r = await rig({ hours: 5, sim: { duplicateOverlap: 7 } });
    const result = await r.poller.pollOnce();
    expect(result.duplicates).toBeGreaterThan(0);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("clamps the backfill to the 180 days the audit log keeps, and says so", async () => {
    const r = await rig({ hours: 1, poller: { backfillDays: 400 } });
    await r.poller.pollOnce();
    // Five minutes spare: the log refuses a `from` more than 180 days back when it arrives.
    expect(streamRequests(r)[0]?.query.from).toBe(String(NOW - 180 * DAY + 5 * MINUTE));
    expect(r.logs.text()).toContain(
      "BACKFILL_DAYS=400 is more than the audit log keeps: backfilling 180 days",
    );
  });

  it("stays healthy right after a good poll when the clock steps back, again and again", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.clock.advance(-60 * MINUTE); // NTP steps the clock back, seen by health
    expect(r.poller.health().healthy).toBe(true);
    r.clock.advance(DAY);
    await r.poller.pollOnce();
    r.clock.advance(-60 * MINUTE); // a second step back, a second after a good poll
    r.clock.advance(1_000);
    expect(r.poller.health().healthy).toBe(true);
    // No poll for three intervals after it was seen: stale.
    r.clock.advance(4 * MINUTE);
    expect(r.poller.health().healthy).toBe(false);
  });

  it("still counts the lag while nothing is read after the clock steps back", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    const { t } = r.db.prepare("SELECT last_processed_at AS t FROM poll_state").get() as {
      t: number;
    };
    const lagThen = r.clock.now() - t;
    const ran = r.clock.monotonic();
    r.clock.advance(-6 * 60 * MINUTE); // NTP steps back a clock that ran six hours ahead
    r.sim.injectFault({ kind: "server-error" }, { times: 1_000 });
    r.clock.advance(30 * MINUTE);
    await r.poller.pollOnce().catch(() => undefined); // its retries take some time more
    const health = r.poller.health(); // the first look since the step
    expect(health.lagSeconds).toBe(Math.round((lagThen + r.clock.monotonic() - ran) / 1000));
    expect(health.lagSeconds).toBeGreaterThanOrEqual(30 * 60);
  });

  it("asks no further back than the log keeps when a failed first poll is retried a day later", async () => {
    const r = await rig({ hours: 1, poller: { backfillDays: 180 } });
    r.sim.injectFault({ kind: "server-error" }, { times: 10 });
    let stored = false;
    for (let poll = 0; poll < 10 && !stored; poll++) {
      stored = await r.poller.pollOnce().then(
        () => true,
        () => false,
      );
      if (!stored) r.clock.advance(DAY / 4);
    }
    expect(stored).toBe(true);
    expect(r.clock.now()).toBeGreaterThan(NOW);
    const froms = streamRequests(r)
      .map((q) => Number(q.query.from))
      .filter(Number.isFinite);
    expect(froms.at(-1)).toBe(r.clock.now() - 180 * DAY + 5 * MINUTE);
    expect(Math.min(...froms)).toBeGreaterThanOrEqual(NOW - 180 * DAY);
  });

  it("stores a late event and keeps both its times", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    const happened = new Date(NOW - 2 * DAY).toISOString();
    r.sim.injectEvents([
      {
        id: "late-1",
        attributes: {
          time: happened,
          processedAt: new Date(NOW).toISOString(),
          action: "user_logged_in",
        },
      },
    ]);
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    const row = r.db
      .prepare("SELECT time, processed_at, backfilled FROM events WHERE id = 'late-1'")
      .get();
    expect(row).toEqual({ time: NOW - 2 * DAY, processed_at: NOW, backfilled: 0 });
  });

  it("quarantines malformed items and stores the rest of the page", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.sim.injectEvents([
      "not an event",
      { id: "no-time", attributes: { action: "x" } },
      { id: "good-1", attributes: { time: new Date(NOW).toISOString(), action: "user_logged_in" } },
      { attributes: { time: new Date(NOW).toISOString(), action: "y" } },
    ]);
    r.clock.advance(MINUTE);
    const result = await r.poller.pollOnce();
    expect(result.quarantined).toBe(3);
    expect(r.count("id = 'good-1'")).toBe(1);
    const rows = r.db
      .prepare("SELECT event_id, error, raw FROM quarantined_events ORDER BY seq")
      .all();
    expect(rows).toEqual([
      { event_id: null, error: expect.stringMatching(/expected object/), raw: '"not an event"' },
      {
        event_id: "no-time",
        error: expect.stringMatching(/attributes\.time/),
        raw: expect.stringContaining("no-time"),
      },
      { event_id: null, error: expect.stringMatching(/^id/), raw: expect.stringContaining('"y"') },
    ]);
    expect(r.poller.health().quarantined).toBe(3);
    expect(r.logs.text()).toContain("malformed events quarantined");
    // Reading the overlap again by time meets the same broken items: they stay counted once.
    r.sim.expireCursors();
    r.clock.advance(MINUTE);
    const again = await r.poller.pollOnce();
    expect(r.poller.health().quarantined).toBe(3);
    expect(again.quarantined).toBe(0); // and the metric counts them once
    expect(r.logs.text().match(/malformed events quarantined/g)).toHaveLength(1);
  });

  it("discovers the MCP action under a key it was never told", async () => {
    const key = `zz_${Math.random().toString(36).slice(2, 10)}`;
    const r = await rig({ hours: 6, sim: { mcpActionKey: key } });
    await r.poller.pollOnce();
    const calls = [...r.sim.org.mcpCallsUpTo(NOW)];
    expect(calls.length).toBeGreaterThan(100);
    expect(r.count(`action = '${key}' AND is_mcp = 1 AND mcp_basis = 'catalog'`)).toBe(
      calls.length,
    );
    expect(r.poller.health().mcpActionKeys).toContain(key);
  });

  it("finds each call's tool wherever the event puts it", async () => {
    const r = await rig({ hours: 12 });
    await r.poller.pollOnce();
    const calls = [...r.sim.org.mcpCallsUpTo(NOW)];
    const placements = new Set(calls.map((call) => call.placement));
    expect(placements).toEqual(new Set(["context-item", "attribute", "message"]));
    const stored = r.db.prepare<
      [string],
      { tool: string | null; tool_class: string | null; auth_kind: string }
    >("SELECT tool, tool_class, auth_kind FROM events WHERE id = ?");
    for (const call of calls) {
      const row = stored.get(call.id);
      expect(row?.tool, `${call.placement} ${call.id}`).toBe(call.tool);
      expect(row?.tool_class).toBe(call.toolClass);
      expect(row?.auth_kind).toBe(call.authType === "api-token" ? "api-token" : "oauth");
    }
  });
});

describe("poller failures", () => {
  it.each([
    ["Retry-After", { retryAfterSeconds: 3 }, 3_000],
    ["X-RateLimit-Reset", { resetAfterSeconds: 20 }, 20_000],
  ])("waits as a 429's %s asks, then succeeds", async (_label, fault, wait) => {
    const r = await rig({ hours: 2 });
    r.sim.injectFault({ kind: "rate-limit", ...fault });
    await r.poller.pollOnce();
    expect(r.clock.sleeps).toContain(wait);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("backs off on a 429 without hints", async () => {
    const r = await rig({ hours: 2 });
    r.sim.injectFault({ kind: "rate-limit" });
    await r.poller.pollOnce();
    expect(r.clock.sleeps).toEqual([750]);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("ends the poll when a 429 asks for more than the interval; the next poll resumes", async () => {
    const r = await rig({ hours: 2 });
    await r.poller.pollOnce();
    r.clock.advance(10 * MINUTE);
    r.sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 600 });
    await expect(r.poller.pollOnce()).rejects.toMatchObject({
      kind: "rate-limited",
      retryAfterMs: 600_000,
    });
    await r.poller.pollOnce();
    expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()));
  });

  it("says, and keeps for the next start, when the log was last read to its end: the start of that poll, not of a failed one", async () => {
    const r = await rig({ hours: 2 });
    const kept = () => repositories(r.db).pollStates.readThroughAt(r.sim.orgId);
    expect(r.poller.readThrough()).toBeNull();
    r.sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 3 });
    await r.poller.pollOnce();
    expect(r.poller.health().lastSuccessAt).toBe(NOW + 3_000);
    expect([r.poller.readThrough(), kept()]).toEqual([NOW, NOW]);
    r.clock.advance(10 * MINUTE);
    r.sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 600 });
    await expect(r.poller.pollOnce()).rejects.toMatchObject({ kind: "rate-limited" });
    expect([r.poller.readThrough(), kept()]).toEqual([NOW, NOW]);
    const began = r.clock.now();
    await r.poller.pollOnce();
    expect([r.poller.readThrough(), kept()]).toEqual([began, began]);
  });

  it.each([
    ["Retry-After", { retryAfterSeconds: 3_000_000 }],
    ["X-RateLimit-Reset", { resetAfterSeconds: 3_000_000 }],
    ["Retry-After under the timer's overflow", { retryAfterSeconds: 2_000_000 }],
  ])(
    "caps a 429's %s far ahead at 15 minutes, says so, and keeps polling",
    async (_label, fault) => {
      const r = await rig({ hours: 2 });
      await r.poller.pollOnce();
      r.sim.clearRequests();
      r.sim.injectFault({ kind: "rate-limit", ...fault }, { times: 1_000 });
      const stop = new AbortController();
      const running = r.poller.run(stop.signal);
      const polls = () => r.sim.requests.filter((q) => q.path.endsWith("/events-stream"));
      await until(() => polls().length >= 4, "four polls");
      stop.abort();
      await running;
      // Each 429 is followed by 15 minutes of the poller's clock, never a busy loop nor days.
      const at = polls().map((q) => q.at);
      for (let i = 1; i < 4; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBe(15 * MINUTE);
      const capped = r.logs
        .lines()
        .filter((l) =>
          String(l.msg).includes("polling again in 900 s, the longest this app waits"),
        );
      expect(capped.length).toBeGreaterThanOrEqual(3);
    },
  );

  it("retries 500s with growing backoff, then succeeds", async () => {
    const r = await rig({ hours: 2 });
    r.sim.injectFault({ kind: "server-error" }, { times: 3 });
    await r.poller.pollOnce();
    expect(r.clock.sleeps).toEqual([750, 1_500, 3_000]);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("gives up a poll after bounded 500s and loses nothing", async () => {
    const r = await rig({ hours: 2 });
    r.sim.injectFault({ kind: "server-error" }, { times: 5 });
    await expect(r.poller.pollOnce()).rejects.toMatchObject({ kind: "server" });
    await r.poller.pollOnce();
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("retries truncated JSON and a timed-out request", async () => {
    const r = await rig({ hours: 2 });
    r.sim.injectFault({ kind: "truncated" });
    r.sim.injectFault({ kind: "delay", ms: 2_500 });
    await r.poller.pollOnce();
    expect(r.logs.text()).toContain("JSON that does not parse");
    expect(r.logs.text()).toContain("took longer than 2 s");
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("retries a page that is not a page, and quarantines items that are not events", async () => {
    const r = await rig({ hours: 2 });
    r.sim.injectFault({ kind: "garbage", variant: "data-not-array" });
    r.sim.injectFault({ kind: "garbage", variant: "string-items" });
    const result = await r.poller.pollOnce();
    expect(r.logs.text()).toContain(
      "events-stream answered something other than a page with a data list",
    );
    expect(result.quarantined).toBeGreaterThan(0);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("falls back to reading by time when the cursor is refused", async () => {
    const r = await rig({ hours: 3 });
    await r.poller.pollOnce();
    r.clock.advance(20 * MINUTE);
    r.sim.expireCursors();
    r.sim.clearRequests();
    const result = await r.poller.pollOnce();
    const [refused, retried] = streamRequests(r);
    expect(refused?.status).toBe(400);
    const lastProcessed = NOW - MINUTE / 2;
    expect(retried?.query.from).toBe(String(lastProcessed - 10 * MINUTE));
    expect(result.duplicates).toBe(11); // ten minutes back, both ends included
    expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()));
    expect(r.logs.text()).toContain("the stream cursor was refused");
  });

  it("stores exactly what the simulator counts as events, however their time is written", async () => {
    const r = await rig({ hours: 1 });
    const at = (time: unknown, id: string) => ({
      id,
      type: "events",
      attributes: { time, action: "user_logged_in" },
    });
    r.sim.stream.inject(
      [
        at("2026-11-02T11:00:00Z", "zoned"),
        at("2026-11-02T11:00:00", "no-zone"),
        at("2026-11-02", "a-day"),
        at(NOW - MINUTE, "epoch-ms"),
      ],
      NOW - MINUTE,
    );
    await r.poller.pollOnce();
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
    // An ISO time without its zone is ambiguous, so quarantined; epoch milliseconds are not.
    expect(storedIds(r.db).filter((id) => !id.match(/^[0-9a-f-]{36}$/))).toEqual([
      "epoch-ms",
      "zoned",
    ]);
    expect(r.poller.health().quarantined).toBe(2);
  });

  it("reads on past an event processed ahead of its clock when the cursor is refused", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    // A wrong processedAt, a day ahead, then the ordinary events processed after it.
    const ahead = new Date(NOW + DAY).toISOString();
    r.sim.stream.inject(
      [
        {
          id: "ahead-1",
          type: "events",
          attributes: {
            time: new Date(NOW).toISOString(),
            processedAt: ahead,
            action: "user_logged_in",
          },
        },
      ],
      NOW + 1,
    );
    r.clock.advance(20 * MINUTE);
    await r.poller.pollOnce();
    expect(r.count("id = 'ahead-1'")).toBe(1);
    // The lag still grows while nothing new arrives: a day ahead is not "up to date" for a day.
    expect(r.poller.health().lagSeconds).toBe(0);
    r.clock.advance(20 * MINUTE);
    expect(r.poller.health().lagSeconds).toBe(20 * 60);
    r.sim.expireCursors();
    await r.poller.pollOnce();
    expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()));
  });

  it("polls at once when asked, not at the end of a pause of hours", async () => {
    const pauses: number[] = [];
    const held = heldClock(pauses);
    const polls: unknown[] = [];
    const r = await rig({
      hours: 1,
      poller: { clock: held, intervalMs: 60 * MINUTE, onPoll: (outcome) => polls.push(outcome) },
    });
    const stop = new AbortController();
    const running = r.poller.run(stop.signal);
    onTestFinished(() => stop.abort());
    await until(() => pauses.length === 1, "the pause after the first poll");
    expect(polls).toHaveLength(1);
    r.poller.pollSoon();
    await until(() => pauses.length === 2, "the pause after a second poll");
    expect(polls).toHaveLength(2);
    stop.abort();
    await running;
  });

  it("polls again at once when asked during a poll, skipping its pause", async () => {
    const held = heldClock([]);
    const polls: unknown[] = [];
    const r = await rig({
      hours: 1,
      poller: { clock: held, intervalMs: 60 * MINUTE, onPoll: (outcome) => polls.push(outcome) },
    });
    r.sim.injectFault({ kind: "delay", ms: 500 });
    const { stop, running } = await runningUntilAPage(r);
    r.poller.pollSoon();
    await until(() => polls.length === 2, "a second poll, with no pause before it");
    stop.abort();
    await running;
  });

  it("does not count a poll stopped by shutdown as a failed one", async () => {
    const outcomes: unknown[] = [];
    const r = await rig({ hours: 1, poller: { onPoll: (outcome) => outcomes.push(outcome) } });
    r.sim.injectFault({ kind: "delay", ms: 5_000 });
    const { stop, running } = await runningUntilAPage(r);
    stop.abort();
    await running;
    expect(outcomes).toEqual([]);
    expect(r.poller.health().lastError).toBeNull();
    expect(r.logs.text()).not.toContain("poll failed");
  });

  it("reports a rejected key once, turns unhealthy, retries slowly, and recovers", async () => {
    const r = await rig({ hours: 1 });
    r.sim.setApiKey("another-key");
    const stop = new AbortController();
    const running = r.poller.run(stop.signal);
    // On a failed assertion the loop must not outlive the test (its clock never makes it wait).
    onTestFinished(() => stop.abort());
    // Each wait begins after its request's answer is taken: three waits, then the fourth request.
    const fourth = () => r.sim.requests.length >= 4 && r.clock.sleeps.length >= 3;
    await until(fourth, "four requests and the waits between them", 10_000, 5);
    const health = r.poller.health();
    expect(health.healthy).toBe(false);
    expect(health.keyRejected).toBe(true);
    expect(health.lastError?.kind).toBe("auth");
    const rejected = r.logs
      .lines()
      .filter((line) => String(line.msg).includes("the organization API key was rejected"));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.level).toBe(50);
    expect(r.clock.sleeps.slice(0, 3)).toEqual([300_000, 300_000, 300_000]);
    r.sim.setApiKey("poller-test-key");
    await until(() => r.count() > 0, "an event stored with the new key", 10_000, 5);
    stop.abort();
    await running;
    expect(r.poller.health().keyRejected).toBe(false);
    expect(r.poller.health().lastError).toBeNull();
  });

  it("says a key refused after working for over a week has probably expired", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.clock.advance(8 * 24 * 60 * MINUTE);
    r.sim.setApiKey("the-next-key");
    const stop = new AbortController();
    const running = r.poller.run(stop.signal);
    onTestFinished(() => stop.abort());
    await until(() => r.poller.health().keyRejected, "the key rejected", 10_000, 5);
    stop.abort();
    await running;
    const line = r.logs.lines().find((l) => String(l.msg).includes("API key was rejected"));
    expect(String(line?.msg)).toMatch(
      /it worked from \d{4}-\d{2}-\d{2} until .*, so it has probably expired \(organization API keys last at most a year\) or been revoked/,
    );
  });

  it("says why it is unhealthy while a poll is still running past three intervals", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.sim.injectFault({ kind: "delay", ms: 400 });
    const polling = r.poller.pollOnce();
    await until(() => r.sim.requests.some((q) => q.fault === "delay"), "the slow request");
    r.clock.advance(3 * MINUTE);
    const health = r.poller.health();
    expect(health.healthy).toBe(false);
    expect(health.lastError).toMatchObject({ kind: "slow" });
    expect(health.lastError?.message).toMatch(/^no progress since .*: a poll is still running/);
    await polling;
    expect(r.poller.health()).toMatchObject({ healthy: true, lastError: null });
  });

  it("says plainly when the key cannot see the organization", async () => {
    const r = await rig({ hours: 1 });
    const { AtlassianClient } = await import("../../src/atlassian/client.js");
    const { Poller } = await import("../../src/ingest/poller.js");
    const { Secret } = await import("../../src/secret.js");
    const wrong = new Poller({
      stores: repositories(r.db),
      client: new AtlassianClient({
        baseUrl: r.sim.url,
        orgId: "other-org",
        apiKey: new Secret("poller-test-key"),
        clock: r.clock,
        logger: r.logs.logger,
      }),
      clock: r.clock,
      logger: r.logs.logger,
      intervalMs: MINUTE,
      backfillDays: 1,
    });
    await expect(wrong.checkAccess()).rejects.toThrow(
      `organization other-org is not visible to this API key (it sees: org-poller (Acme)): check ATLASSIAN_ORG_ID`,
    );
    // A base address with a path of its own: the list of organizations is not found at all.
    const misplaced = new AtlassianClient({
      baseUrl: `${r.sim.url}/gateway`,
      orgId: "org-poller",
      apiKey: new Secret("poller-test-key"),
      clock: r.clock,
      logger: r.logs.logger,
    });
    await expect(misplaced.listOrgs()).rejects.toThrow(
      /GET \/admin\/v1\/orgs answered 404.*: check ATLASSIAN_API_BASE_URL, the API.s address alone/,
    );
  });

  it("never runs two polls at once", async () => {
    const r = await rig({ hours: 2 });
    const [a, b] = await Promise.all([r.poller.pollOnce(), r.poller.pollOnce()]);
    expect(a).toBe(b);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
  });

  it("keeps the health figures", async () => {
    const r = await rig({ hours: 2 });
    expect(r.poller.health()).toMatchObject({
      healthy: true,
      lastSuccessAt: null,
      eventsStored: 0,
    });
    await r.poller.pollOnce();
    r.clock.advance(2 * MINUTE);
    expect(r.poller.health()).toMatchObject({
      healthy: true,
      lastSuccessAt: NOW,
      eventsStored: 120,
      lagSeconds: 150,
    });
    r.clock.advance(3 * MINUTE);
    expect(r.poller.health().healthy).toBe(false);
  });
});
