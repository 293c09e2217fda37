import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { event, person, setup } from "../detect/engine-rig.js";

/** Tuesday 2026-11-24 09:00 UTC: DIGEST_CRON `0 9 * * *`. */
const NINE = Date.UTC(2026, 10, 24, 9);

/**
 * A store whose history (`backfillFrom` to `backfillUntil`) was read, the rules of org-1 and its
 * daily digest, at `from` (two days before NINE by default, the history read three days ago):
 * each poll stores what Atlassian processed by then and the rules judge it, as the bot does.
 */
function rig(
  from = NINE - 2 * DAY,
  backfillFrom = NINE - 10 * DAY,
  backfillUntil = NINE - 3 * DAY,
) {
  const s = setup("", from);
  const stores = repositories(s.db);
  stores.pollStates.save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: null,
      backfillFrom,
      backfillUntil,
      backfillDone: true,
    },
    backfillUntil,
  );
  const poll = { readThrough: null as number | null };
  const scheduler = new DigestScheduler({
    stores,
    clock: s.clock,
    logger: s.logs.logger,
    orgId: "org-1",
    cron: "0 9 * * *",
    timeZone: "UTC",
    readThrough: () => poll.readThrough,
    pollSoon: () => {},
    health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
  });
  /**
   * A poll at `at`: stores, then the rules judge; with `failing`, they fail in that poll (a full
   * disk a moment, or a backlog the sliced rules have not reached) and judge in a later one.
   */
  const pollAt = (at: number, events: NormalizedEvent[] = [], failing = false) => {
    s.clock.advance(at - s.clock.now());
    if (events.length > 0) s.store(events, at);
    if (failing)
      s.engine(s.config, () => {
        throw new Error("SQLITE_FULL: database or disk is full");
      }).runSafely();
    else s.engine().run();
    poll.readThrough = at;
  };
  /** The digest of the period ending at `end`, made after a poll a minute later, as text. */
  const digestAt = async (end: number, events: NormalizedEvent[] = [], failing = false) => {
    pollAt(end + MINUTE, events, failing);
    await scheduler.tick();
    const digest = stores.digests.byPeriod("org-1", "daily", end);
    if (!digest) throw new Error(`no digest ending at ${new Date(end).toISOString()}`);
    return digestText(digest.message);
  };
  const start = async (at = NINE - DAY + MINUTE) => {
    s.clock.advance(at - s.clock.now());
    await scheduler.catchUp();
  };
  /** Every digest recorded, by kind and end, as text. */
  const texts = () =>
    stores.digests
      .list("org-1")
      .map((d) => `[${d.kind} ${new Date(d.periodEnd).toISOString()}]\n${digestText(d.message)}`)
      .join("\n\n");
  return { s, pollAt, digestAt, start, texts };
}

/** A change of the data security policy made at `time`, processed by Atlassian at `processedAt`. */
const settingsChange = (id: string, time: number, processedAt = time) =>
  event({
    id,
    isMcp: false,
    mcpBasis: null,
    tool: null,
    toolClass: null,
    action: "dsp_updated",
    time,
    processedAt,
  });

/** Nina authorizing the MCP app on a site at `time`, processed by Atlassian at `processedAt`. */
const authorized = (id: string, time: number, processedAt: number) =>
  event({
    ...person("acc-nina", "nina@acme.test"),
    id,
    action: "mcp_app_authorized",
    mcpBasis: "guessed",
    tool: null,
    toolClass: null,
    clientApp: null,
    siteHost: "acme.atlassian.net",
    message: "nina@acme.test authorized Atlassian MCP for acme.atlassian.net",
    time,
    processedAt,
  });

/** An MCP call at `time`, processed then; `backfilled`: read with the history on first start. */
const call = (id: string, time: number, backfilled = false) =>
  event({ id, time, processedAt: time, backfilled });

/** How many of the lists under `heading`, in all `text`, have a line starting with `line`. */
const timesNamed = (text: string, heading: string, line: string) =>
  (text.match(new RegExp(`${heading}\\n(• .*\\n)*?• (:hourglass: )?${line}`, "g")) ?? []).length;
const changeNamed = (text: string) =>
  timesNamed(text, "Settings changes", "Data security policy updated");
const authorizationNamed = (text: string) =>
  timesNamed(text, "MCP app authorizations", "nina@acme.test authorized");

describe("settings changes and MCP app authorizations in the daily digest", () => {
  it("a change Atlassian records after its period's digest is named by the next one, once", async () => {
    const r = rig();
    await r.start();
    const first = await r.digestAt(NINE, [call("c1", NINE - 3 * HOUR)]);
    // Made at 08:50; Atlassian processed it at 09:59, after the 09:00 digest was made.
    r.pollAt(NINE + HOUR, [
      settingsChange("set-late", NINE - 10 * MINUTE, NINE + HOUR - MINUTE),
      call("c2", NINE + HOUR - 5 * MINUTE),
    ]);
    const next = await r.digestAt(NINE + DAY);
    const after = await r.digestAt(NINE + 2 * DAY, [call("c3", NINE + DAY + HOUR)]);
    expect(first).not.toContain("Settings changes");
    expect(next).toContain("mcp-settings-changed: 1 raised");
    expect(next).toContain(
      "Settings changes\n• :hourglass: Data security policy updated by Alice Example _(made 2026-11-24 08:50 UTC, noticed after that period's digest)_",
    );
    expect(after).not.toContain("Settings changes");
  });

  it("an authorization Atlassian records after its period's digest is named by the next one, once", async () => {
    const r = rig();
    await r.start();
    const first = await r.digestAt(NINE);
    // Made at 08:58; Atlassian processed it at 09:30, after the 09:00 digest was made.
    r.pollAt(NINE + 30 * MINUTE, [authorized("auth-late", NINE - 2 * MINUTE, NINE + 29 * MINUTE)]);
    const next = await r.digestAt(NINE + DAY);
    const after = await r.digestAt(NINE + 2 * DAY);
    expect(first).not.toContain("MCP app authorizations");
    expect(next).toContain(
      "MCP app authorizations\n• :hourglass: nina@acme.test authorized the Atlassian MCP app on acme.atlassian.net _(made 2026-11-24 08:58 UTC, noticed after that period's digest)_",
    );
    expect(after).not.toContain("MCP app authorizations");
  });

  it("are named in a quiet period's digest, whose alert is raised after its end", async () => {
    const r = rig();
    await r.start();
    // 08:59: an admin changes a setting; the poll at 09:01 the digest waits for stores and judges it.
    const text = await r.digestAt(NINE, [settingsChange("set-edge", NINE - MINUTE)]);
    expect(text).toContain("No MCP activity in this period.");
    expect(text).toContain("Settings changes\n• Data security policy updated by");
    // The next digest counts its alert, raised in its period, and does not name it again.
    const next = await r.digestAt(NINE + DAY);
    expect(next).toContain("mcp-settings-changed: 1 raised");
    expect(next).not.toContain("Settings changes");
  });

  it("stored before their period's digest but judged after it, are named by the next one, once", async () => {
    const r = rig();
    await r.start();
    // 08:58 and 08:59: Nina authorizes the app, an admin changes a setting. The 09:01 poll stores
    // both, but the rules fail in that poll: the 09:00 digest is made before they are judged.
    const first = await r.digestAt(
      NINE,
      [
        authorized("auth-x", NINE - 2 * MINUTE, NINE - 2 * MINUTE),
        settingsChange("set-x", NINE - MINUTE),
        call("c1", NINE - HOUR),
      ],
      true,
    );
    r.pollAt(NINE + HOUR); // the rules judge them: their alerts are raised
    const next = await r.digestAt(NINE + DAY, [call("c2", NINE + DAY - HOUR)]);
    await r.digestAt(NINE + 2 * DAY, [call("c3", NINE + 2 * DAY - HOUR)]);
    expect(first).not.toContain("Settings changes");
    expect(next).toContain("mcp-settings-changed: 1 raised");
    expect(next).toContain(
      "• :hourglass: Data security policy updated by Alice Example _(made 2026-11-24 08:59 UTC, noticed after that period's digest)_",
    );
    const all = r.texts();
    expect(changeNamed(all), all).toBe(1);
    expect(authorizationNamed(all), all).toBe(1);
  });

  it("after a digest made before the bot kept its alerts' place, one stored late is named by the next one, once", async () => {
    const r = rig();
    await r.start();
    await r.digestAt(NINE, [call("c1", NINE - 3 * HOUR)]);
    // That digest as a release before this one recorded it: where the events stood, not the alerts.
    r.s.db.prepare("UPDATE digests SET linked_through = NULL").run();
    r.pollAt(NINE + HOUR, [settingsChange("set-late", NINE - 10 * MINUTE, NINE + HOUR - MINUTE)]);
    await r.digestAt(NINE + DAY);
    await r.digestAt(NINE + 2 * DAY);
    const all = r.texts();
    expect(all).toContain(":hourglass: Data security policy updated by Alice Example");
    expect(changeNamed(all), all).toBe(1);
  });

  it("after a digest made before the bot kept its alerts' place, one stored before it and judged after the upgrade is named by the next one, once", async () => {
    const r = rig();
    await r.start();
    // 08:59: a change; the 09:01 poll stores it, the rules fail: the 09:00 digest (as a release
    // before this one recorded it, with no place of the alerts) is made before it is judged.
    await r.digestAt(NINE, [settingsChange("set-x", NINE - MINUTE), call("c1", NINE - HOUR)], true);
    r.s.db.prepare("UPDATE digests SET linked_through = NULL").run();
    r.pollAt(NINE + HOUR);
    const next = await r.digestAt(NINE + DAY, [call("c2", NINE + DAY - HOUR)]);
    await r.digestAt(NINE + 2 * DAY, [call("c3", NINE + 2 * DAY - HOUR)]);
    expect(next).toContain("mcp-settings-changed: 1 raised");
    expect(next).toContain(":hourglass: Data security policy updated by Alice Example");
    const all = r.texts();
    expect(changeNamed(all), all).toBe(1);
  });

  it("a live change dated before the first start is named by its summary, not again by the first daily digest", async () => {
    const START = Date.UTC(2026, 10, 24, 7, 30);
    const r = rig(START, START - 7 * DAY, START);
    // The history: one call. Then, live: a change made 5 minutes before the first start,
    // processed after it, stored and judged before the summary is made.
    r.s.store([call("h1", START - DAY, true)], START + MINUTE);
    r.pollAt(START + 2 * MINUTE, [settingsChange("set-live", START - 5 * MINUTE, START + MINUTE)]);
    await r.start(START + 3 * MINUTE);
    await r.digestAt(NINE, [call("c1", NINE - HOUR)]);
    const all = r.texts();
    expect(all).toMatch(
      /^\[backfill [^\]]*\][^[]*Settings changes\n• Data security policy updated/,
    );
    expect(changeNamed(all), all).toBe(1);
  });
});
