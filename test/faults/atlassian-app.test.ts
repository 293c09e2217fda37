import { describe, expect, it } from "vitest";
import type { Fault } from "../../src/simulator/index.js";
import { readUntil, until } from "../helpers/until.js";
import {
  expectAllStoredOnce,
  healthyAfter,
  logged,
  polledAfter,
  startFaultyApp,
  unhealthyWithReason,
} from "./harness.js";

/**
 * How a 429's retry must wait: `waitMs` as logged (Retry-After, a duration), or at least `gapMs`
 * between the 429 and the retry's arrival on the shared clock (X-RateLimit-Reset, a time: what is
 * left of it when read depends on how busy the machine is).
 */
type RetryWait = { readonly waitMs: number } | { readonly gapMs: number };

/** Faults that last until the test clears them: each poll's retries meet them all. */
const STORMS: Array<[string, Fault, string, string, RetryWait?]> = [
  [
    "429s with Retry-After",
    { kind: "rate-limit", retryAfterSeconds: 2 },
    "rate-limited",
    "events-stream was rate limited (429)",
    { waitMs: 2_000 },
  ],
  [
    "429s with X-RateLimit-Reset",
    { kind: "rate-limit", resetAfterSeconds: 3 },
    "rate-limited",
    "events-stream was rate limited (429)",
    // more than the first backoff (at most 1 s): the reset time was honoured
    { gapMs: 3_000 },
  ],
  [
    "429s asking for longer than the poll interval",
    { kind: "rate-limit", retryAfterSeconds: 30 },
    "rate-limited",
    "asked to wait 30 s, resuming at the next poll",
  ],
  ["500s", { kind: "server-error" }, "server", "events-stream answered 500 (ADMIN-500-1"],
  ["a proxy's 502 page", { kind: "status", status: 502 }, "server", "events-stream answered 502"],
  [
    "truncated JSON",
    { kind: "truncated" },
    "bad-response",
    "events-stream answered JSON that does not parse",
  ],
  [
    "connections cut mid-body",
    { kind: "truncated", abort: true },
    "network",
    "GET /admin/v1/orgs/org-faults/events-stream on 127.0.0.1:",
  ],
  [
    "pages that are not pages",
    { kind: "garbage", variant: "data-not-array" },
    "bad-response",
    "events-stream answered something other than a page with a data list",
  ],
];

describe("the running app through an Atlassian outage", () => {
  it.each(STORMS)(
    "%s: /healthz turns 503 and says why, then recovers with every event stored once",
    async (_label, fault, kind, message, retryWait) => {
      const r = await startFaultyApp({ logLevel: "debug" }); // the retries are at debug
      r.sim.injectFault(fault, { times: 1_000 });

      // Unhealthy once three intervals pass without progress; the reason once a poll gives up.
      const during = await unhealthyWithReason(r);
      expect(during.body).toMatchObject({
        status: "unhealthy",
        database: { ok: true },
        poller: { ok: false, lastError: { kind } },
        slack: { ok: true },
      });
      expect(during.body.poller.lastError?.message).toContain(message);
      const failed = logged(r, "poll failed: ");
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0]).toMatchObject({ level: 40, component: "poller", kind });
      expect(String(failed[0]?.msg)).toContain(message);

      if (retryWait) {
        const retry = logged(r, "rate limited (429); retrying")[0];
        expect(retry?.level).toBe(20); // debug: the poll's failure is the warning, once
        if ("waitMs" in retryWait) expect(retry?.waitMs).toBe(retryWait.waitMs);
        else {
          const polls = r.sim.requests.filter((q) => q.path.endsWith("/events-stream"));
          const first = polls.findIndex((q) => q.status === 429);
          const next = polls[first + 1];
          expect(first).toBeGreaterThanOrEqual(0);
          expect(next).toBeDefined();
          expect((next?.at ?? 0) - (polls[first]?.at ?? 0)).toBeGreaterThanOrEqual(retryWait.gapMs);
        }
      }

      r.sim.clearFaults();
      const cleared = r.clock.now();
      const after = await healthyAfter(r, cleared, "/healthz to be ok after the fault");
      expect(after.body).toMatchObject({ status: "ok", poller: { ok: true } });
      // Said once however many polls failed so, and its end said too.
      const loud = logged(r, "poll failed: ").filter((l) => Number(l.level) >= 40);
      expect(loud).toHaveLength(1);
      await until(() => logged(r, "polling works again").length > 0, "the recovery to be said");
      expect(logged(r, "polling works again")[0]).toMatchObject({ level: 30, previous: kind });
      await r.stop();
      expectAllStoredOnce(r, cleared - 60_000);
    },
  );
});

describe("the running app when the stream refuses its cursor", () => {
  it("reads again by time, stays healthy, and stores the overlap once", async () => {
    const r = await startFaultyApp();
    const at = r.clock.now();
    await until(() => r.clock.now() > at + 2 * 60_000, "two minutes of new events");
    r.sim.expireCursors();
    await until(() => logged(r, "the stream cursor was refused").length > 0, "the refusal");
    const refused = r.clock.now();
    const health = await readUntil(
      r.health,
      (h) => polledAfter(h, refused),
      "a poll after the refusal",
    );
    expect(health.status).toBe(200);
    expect(health.body.poller).toMatchObject({ ok: true, lastError: null });
    expect(logged(r, "the stream cursor was refused")[0]).toMatchObject({ level: 40 });
    await r.stop();
    expectAllStoredOnce(r, refused - 60_000);
  });
});
