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
 * A store whose history was read three days ago, the rules of org-1 and its daily digest: each
 * poll stores what Atlassian processed by then and the rules judge it, as the bot does.
 */
function rig() {
  const s = setup("", NINE - 2 * DAY);
  const stores = repositories(s.db);
  stores.pollStates.save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: null,
      backfillFrom: NINE - 10 * DAY,
      backfillUntil: NINE - 3 * DAY,
      backfillDone: true,
    },
    NINE - 3 * DAY,
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
  const pollAt = (at: number, events: NormalizedEvent[] = []) => {
    s.clock.advance(at - s.clock.now());
    if (events.length > 0) s.store(events, at);
    s.engine().run();
    poll.readThrough = at;
  };
  /** The digest of the period ending at `end`, made after a poll a minute later, as text. */
  const digestAt = async (end: number, events: NormalizedEvent[] = []) => {
    pollAt(end + MINUTE, events);
    await scheduler.tick();
    const digest = stores.digests.byPeriod("org-1", "daily", end);
    if (!digest) throw new Error(`no digest ending at ${new Date(end).toISOString()}`);
    return digestText(digest.message);
  };
  const start = async () => {
    s.clock.advance(NINE - DAY + MINUTE - s.clock.now());
    await scheduler.catchUp();
  };
  return { s, pollAt, digestAt, start };
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

/** An MCP call at `time`, processed then. */
const call = (id: string, time: number) => event({ id, time, processedAt: time });

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
      "Settings changes\n• :hourglass: Data security policy updated by Alice Example _(made 2026-11-24 08:50 UTC, recorded after that period's digest)_",
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
      "MCP app authorizations\n• :hourglass: nina@acme.test authorized the Atlassian MCP app on acme.atlassian.net _(made 2026-11-24 08:58 UTC, recorded after that period's digest)_",
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
});
