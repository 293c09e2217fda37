import { describe, expect, it } from "vitest";
import { ServerClock } from "../../src/atlassian/server-clock.js";
import {
  atlassianNow,
  firstState,
  MAX_BACKFILL_DAYS,
  nextRequest,
  readOnByTime,
  resumeOverlap,
  startLowered,
  timeBased,
} from "../../src/ingest/poll-position.js";
import type { PollState } from "../../src/store/poll-state.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { capturedLogger } from "../helpers/logs.js";

const NOW = Date.UTC(2026, 5, 1);
const O = { pageLimit: 200 };
const live: PollState = {
  orgId: "org-1",
  cursor: null,
  lastProcessedAt: NOW - 5 * MINUTE,
  backfillFrom: NOW - 7 * DAY,
  backfillUntil: NOW - 7 * DAY,
  backfillDone: true,
};

describe("where a poll reads from", () => {
  it("asks by cursor when it has one, else by time from the last event less the overlap", () => {
    expect(nextRequest({ ...live, cursor: "c-9" }, O, NOW)).toEqual({ cursor: "c-9", limit: 200 });
    expect(nextRequest(live, O, NOW)).toEqual({ from: NOW - 15 * MINUTE, limit: 200 });
    const fresh = { ...live, lastProcessedAt: null, backfillDone: false };
    expect(nextRequest(fresh, O, NOW)).toEqual({ from: NOW - 7 * DAY, limit: 200 });
    // A processing time ahead of this clock (a skewed one): read from now, not from the future.
    const ahead = { ...live, lastProcessedAt: NOW + DAY };
    expect(nextRequest(ahead, O, NOW)).toEqual({ from: NOW - 10 * MINUTE, limit: 200 });
  });

  it("replaces a lost cursor by a read by time as far back as the stored events came late: ten minutes at least, two days at most", () => {
    expect(resumeOverlap(null)).toBe(10 * MINUTE);
    expect(resumeOverlap(2_000)).toBe(10 * MINUTE);
    expect(resumeOverlap(-DAY)).toBe(10 * MINUTE); // a time after its processedAt
    expect(resumeOverlap(50 * MINUTE)).toBe(50 * MINUTE);
    expect(resumeOverlap(30 * DAY)).toBe(2 * DAY);
    const overlap = resumeOverlap(50 * MINUTE);
    expect(nextRequest(live, O, NOW, overlap)).toEqual({ from: NOW - 55 * MINUTE, limit: 200 });
  });

  it("reads on by time past a full page without a next cursor, and only if that moves on", () => {
    // From the page's last event less the overlap, later than the read before.
    const after = { ...live, lastProcessedAt: NOW - 30 * MINUTE };
    expect(readOnByTime(after, NOW - 60 * MINUTE, O, NOW)).toEqual({
      from: NOW - 40 * MINUTE,
      limit: 200,
    });
    expect(readOnByTime(after, undefined, O, NOW)?.from).toBe(NOW - 40 * MINUTE);
    // More than a page in ten minutes: the overlap would ask the same page again.
    expect(readOnByTime(after, NOW - 35 * MINUTE, O, NOW)).toEqual({
      from: NOW - 30 * MINUTE,
      limit: 200,
    });
    // A page's worth in one millisecond, or no event readable: nothing moves on.
    expect(readOnByTime(after, NOW - 30 * MINUTE, O, NOW)).toBeUndefined();
    expect(readOnByTime({ ...after, lastProcessedAt: null }, NOW - DAY, O, NOW)).toBeUndefined();
  });

  it("starts a first poll the days asked back, at most what the audit log keeps, saying so", () => {
    const logs = capturedLogger("info");
    expect(firstState("org-1", 30, NOW, logs.logger)).toEqual({
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: null,
      backfillFrom: NOW - 30 * DAY,
      backfillUntil: NOW,
      backfillDone: false,
    });
    expect(logs.text()).toContain("first start: backfilling 30 days of history");
    firstState("org-1", 1, NOW, logs.logger);
    expect(logs.text()).toContain("first start: backfilling 1 day of history");
    expect(firstState("org-1", 400, NOW, logs.logger).backfillFrom).toBe(
      NOW - MAX_BACKFILL_DAYS * DAY,
    );
    expect(logs.text()).toContain("BACKFILL_DAYS=400 is more than the audit log keeps");
  });

  it("takes now by Atlassian's clock, as its Date header gives it, within bounds", () => {
    const logs = capturedLogger("info");
    const dated = (date: number, now: number) => {
      const clock = new ServerClock();
      clock.answered(new Date(date).toUTCString(), now);
      return clock.aheadMs;
    };
    // Unknown, or within the header's second: this machine's clock.
    expect(atlassianNow(NOW, undefined, logs.logger)).toBe(NOW);
    expect(atlassianNow(NOW, dated(NOW, NOW + 400), logs.logger)).toBe(NOW);
    // Minutes off: Atlassian's, to the end of the second its header names.
    expect(atlassianNow(NOW, dated(NOW + 3 * MINUTE, NOW), logs.logger)).toBe(
      NOW + 3 * MINUTE + 1_000,
    );
    expect(logs.text()).toContain("Atlassian's clock is 3 min ahead of this machine's");
    // Days off: not a clock's drift; said, and this machine's clock kept.
    expect(atlassianNow(NOW, dated(NOW - 30 * DAY, NOW), logs.logger)).toBe(NOW);
    expect(logs.text()).toContain(
      "Atlassian's answers are dated 30 days behind this machine's clock",
    );
  });

  it("after a refused cursor, reads by time from where it was, less the overlap", () => {
    const logs = capturedLogger("info");
    const next = timeBased({ ...live, cursor: "stale" }, NOW, logs.logger);
    expect(next).toEqual({ ...live, cursor: null });
    expect(nextRequest(next, O, NOW)).toEqual({ from: NOW - 15 * MINUTE, limit: 200 });
    expect(logs.text()).toContain(new Date(NOW - 15 * MINUTE).toISOString());
  });
});

describe("a backfill started further back than BACKFILL_DAYS", () => {
  const unread: PollState = {
    orgId: "org-1",
    cursor: null,
    lastProcessedAt: null,
    backfillFrom: NOW - 180 * DAY,
    backfillUntil: NOW,
    backfillDone: false,
  };

  it("starts later when nothing is stored yet, and never further back", () => {
    const logs = capturedLogger();
    expect(startLowered(unread, 90, logs.logger)?.backfillFrom).toBe(NOW - 90 * DAY);
    expect(startLowered(unread, 1, logs.logger)?.backfillFrom).toBe(NOW - DAY);
    expect(logs.text()).toContain(
      "BACKFILL_DAYS=1 starts the backfill not read yet later: 1 day before the first start",
    );
    expect(startLowered(unread, 180, logs.logger)).toBeUndefined();
    expect(
      startLowered({ ...unread, backfillFrom: NOW - 30 * DAY }, 90, logs.logger),
    ).toBeUndefined();
  });

  it("goes on from what it stored, and a backfill done is left as it was", () => {
    const logs = capturedLogger();
    expect(
      startLowered({ ...unread, lastProcessedAt: NOW - 100 * DAY }, 90, logs.logger),
    ).toBeUndefined();
    expect(startLowered({ ...unread, cursor: "c-1" }, 90, logs.logger)).toBeUndefined();
    expect(startLowered({ ...unread, backfillDone: true }, 90, logs.logger)).toBeUndefined();
  });
});
