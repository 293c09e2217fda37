/**
 * The first start, half an hour before the daily digest (09:00 Berlin), as an admin makes it:
 * the digest's time passes while the history is still being read, or while the poller cannot
 * read the audit log at all; then the bot is restarted the same day (a rules file added, a
 * setting fixed).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { queueUnreadNotice } from "../../src/slack/digest-unread.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { type PollState, PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 07:30 UTC = 08:30 in Berlin: the first start. */
const START = Date.UTC(2026, 10, 24, 7, 30);
/** 09:00 in Berlin, that day and the next. */
const NINE = Date.UTC(2026, 10, 24, 8);
const NINE_NEXT = NINE + DAY;

const REFUSED =
  "the organization API key was rejected (expired or wrong scope?): GET /admin/v1/orgs answered 403 (ADMIN-403-3: The API key is not allowed to do this <!channel>); check ATLASSIAN_API_KEY";

/** The first poll's state, saved at the first start: the history not read yet. */
const reading: PollState = {
  orgId: "org-1",
  cursor: null,
  lastProcessedAt: null,
  backfillFrom: START - 90 * DAY,
  backfillUntil: START,
  backfillDone: false,
};

function setup(lastError: string | null = null) {
  const db = openStore(join(tempDir(), "digest.db"));
  const states = new PollStateStore(db);
  states.save(reading, START);
  const stores = repositories(db);
  const log = capturedLogger();
  const scheduler = (clock: VirtualClock) =>
    new DigestScheduler({
      stores,
      clock,
      logger: log.logger,
      orgId: "org-1",
      cron: "0 9 * * *",
      timeZone: "Europe/Berlin",
      health: () => ({
        lagSeconds: null,
        quarantined: 0,
        keyRejected: lastError !== null,
        lastError,
      }),
      unread: (digest, now) =>
        queueUnreadNotice(
          stores.outbox,
          { orgId: "org-1", channel: "C0ALERTS", organization: undefined },
          digest,
          now,
        ),
    });
  const records = new DigestRecordStore(db);
  const daily = () =>
    records
      .list("org-1")
      .filter((r) => r.kind === "daily")
      .map((r) => [r.periodStart, r.periodEnd]);
  const notices = () =>
    db
      .prepare<[], { key: string; payload: string }>(
        "SELECT key, payload FROM outbox WHERE kind = 'notice' ORDER BY id",
      )
      .all()
      .map((row) => ({ key: row.key, text: (JSON.parse(row.payload) as { text: string }).text }));
  return { db, states, records, scheduler, daily, notices, log };
}

describe("a restart after the first start's backfill ran past the digest's time", () => {
  it("does not post that digest late over the hours the summary reported; the next starts at the first start", async () => {
    const s = setup();
    const clock = new VirtualClock(START);
    const first = s.scheduler(clock);
    await first.catchUp();
    clock.advance(31 * MINUTE); // 09:01: the digest is due, the history still being read
    await first.tick();
    clock.advance(19 * MINUTE); // 09:20: the backfill is done, its summary follows
    s.states.save({ ...reading, backfillDone: true }, clock.now());
    await first.tick();
    expect(s.records.list("org-1").map((r) => r.kind)).toEqual(["backfill"]);
    // Read, not failing: the channel is not told anything about the skipped digest.
    expect(s.log.text()).toContain("the history is still being read");
    expect(s.notices()).toEqual([]);

    clock.advance(5 * HOUR); // 14:20: the admin restarts the bot
    const second = s.scheduler(clock);
    await second.catchUp();
    await second.tick();
    expect(s.daily()).toEqual([]);

    clock.advance(NINE_NEXT + MINUTE - clock.now());
    await second.tick();
    expect(s.daily()).toEqual([[START, NINE_NEXT]]);
  });
});

describe("a first start whose poller cannot read the audit log (a refused key)", () => {
  it("tells the channel once per digest time, why and where to look, across a restart", async () => {
    const s = setup(REFUSED);
    const clock = new VirtualClock(START);
    const first = s.scheduler(clock);
    await first.catchUp();
    clock.advance(31 * MINUTE); // 09:01
    await first.tick();
    clock.advance(MINUTE);
    await first.tick();
    clock.advance(MINUTE); // 09:03: restarted, the key still refused
    await s.scheduler(clock).catchUp();

    const said = s.notices();
    expect(said.map((n) => n.key)).toEqual([`notice:org-1:digest-unread:daily:${NINE}`]);
    const text = said[0]?.text ?? "";
    expect(text).toContain("The daily digest due");
    expect(text).toContain("has not been read since the first start");
    expect(text).toContain("check ATLASSIAN_API_KEY");
    expect(text).toContain("`/healthz`");
    expect(text).toContain("`/mcp-activity status`");
    // The error is outside text: it pings nobody.
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt;");

    const reasons = s.log
      .lines()
      .filter((l) => String(l.msg).includes("digest due now is not posted"))
      .map((l) => String(l.msg));
    expect(reasons).not.toEqual([]);
    for (const reason of reasons) {
      expect(reason).not.toContain("the history is still being read");
      expect(reason).toContain("check ATLASSIAN_API_KEY");
    }

    clock.advance(NINE_NEXT + MINUTE - clock.now()); // the next morning, still refused
    await first.tick();
    expect(s.notices().map((n) => n.key)).toEqual([
      `notice:org-1:digest-unread:daily:${NINE}`,
      `notice:org-1:digest-unread:daily:${NINE_NEXT}`,
    ]);
    expect(s.daily()).toEqual([]);
  });
});
