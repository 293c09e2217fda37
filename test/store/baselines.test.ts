import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent, StoredEvent } from "../../src/domain/event.js";
import { NO_PLACE } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize, reclassify } from "../../src/ingest/normalize.js";
import { EventStore } from "../../src/store/events.js";
import { FactStore } from "../../src/store/facts.js";
import { openStore } from "../../src/store/open.js";
import { RetentionStore } from "../../src/store/retention.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { mcpEvent, normalizedEvent, T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

function call(id: string, o: Partial<NormalizedEvent> = {}): NormalizedEvent {
  const event = normalizedEvent({ id, ...o });
  return event;
}

function storedEvent(s: ReturnType<typeof store>, id: string): StoredEvent {
  const event = [...s.events.iterate("org-1")].flat().find((e) => e.id === id);
  if (!event) throw new Error(`${id} is not stored`);
  return event;
}

function store() {
  const db = openStore(join(tempDir(), "baselines.db"));
  const events = new EventStore(db);
  const facts = new FactStore(db);
  const insert = (list: NormalizedEvent[], now = T0) =>
    db.transaction(() => events.insertMany(list, now))();
  const rows = (sql: string) => db.prepare(sql).all();
  return { db, events, facts, insert, rows };
}

describe("personal baselines, kept as events are stored", () => {
  it("remember each person's first call into each scope, and answer which scopes a call opened", () => {
    const s = store();
    s.insert([
      call("a", { time: T0 - 20 * DAY }),
      call("b", { time: T0 - 20 * DAY + 1, resource: "OPS-2" }),
      call("c", { time: T0 - DAY, userId: "acc-bob" }),
    ]);
    s.insert([
      call("d", {
        time: T0,
        product: "confluence",
        place: { ...NO_PLACE, spaces: ["hr"], pages: ["12"] },
        resource: "Pay (12)",
      }),
      call("e", { time: T0 + 1, isMcp: false }), // not MCP: not a call
    ]);
    const [a, , , d] = [...s.events.iterate("org-1")].flat();
    if (!a || !d) throw new Error("not stored");
    expect(s.facts.baselines.firstCall(d)).toBe(T0 - 20 * DAY);
    expect(s.facts.baselines.openedBy(a)).toEqual([
      "product:jira",
      "project:acme.atlassian.net/OPS",
      "site:acme.atlassian.net",
    ]);
    expect(s.facts.baselines.openedBy(d)).toEqual([
      "product:confluence",
      "space:acme.atlassian.net/HR",
    ]);
    const alice = s.rows(
      "SELECT scope, last_time AS last FROM person_scopes WHERE user_id = (SELECT ref FROM strings WHERE value = 'acc-alice') AND scope = 'site:acme.atlassian.net'",
    );
    expect(alice).toEqual([{ scope: "site:acme.atlassian.net", last: T0 }]);
    // Storing the same events again changes nothing.
    s.insert([call("a", { time: T0 - 20 * DAY })]);
    expect(s.facts.baselines.openedBy(a)).toHaveLength(3);
  });

  it("count calls per person and hour for the last 15 days only, and prune with the retention", () => {
    const s = store();
    s.insert([
      call("old", { time: T0 - 16 * DAY }),
      ...Array.from({ length: 5 }, (_, k) => call(`h1-${k}`, { time: T0 - 2 * HOUR + k })),
      ...Array.from({ length: 3 }, (_, k) => call(`h2-${k}`, { time: T0 - HOUR + k })),
      call("now", { time: T0 }),
    ]);
    s.insert([call("later", { time: T0 - 2 * HOUR + 10 })]);
    const last = [...s.events.iterate("org-1")].flat().find((e) => e.id === "now");
    if (!last) throw new Error("not stored");
    // The clock hour the rolling hour ending at the call overlaps is left out.
    expect(s.facts.baselines.hoursBefore(last, 14)).toEqual([6]);
    expect(s.rows("SELECT count(*) AS n FROM person_hours")).toEqual([{ n: 3 }]);
    // The rolling hour ending at the call: after T0 - 1 h, up to T0.
    expect(s.facts.lastHour(last)).toBe(3);

    const retention = new RetentionStore(s.db);
    // 16 days on, nothing of these hours is kept; scopes stay while the retention keeps them.
    expect(retention.pruneBaselines("org-1", T0 - 400 * DAY, T0 + 16 * DAY)).toBe(3);
    expect(s.rows("SELECT count(*) AS n FROM person_scopes")).toEqual([{ n: 4 }]);
    expect(retention.pruneBaselines("org-1", T0 + 1, T0 + 16 * DAY)).toBe(4);
  });
});

describe("baselines after reclassify", () => {
  const USER = "(SELECT value FROM strings WHERE ref = user_id) AS user";
  const ACTIONS = [
    { action: "ai_tool_invoked", displayName: "AI tool invoked", groupName: "Agents" },
  ];
  const history = () =>
    Array.from({ length: 60 }, (_, i) => {
      const { raw } = mcpEvent({
        id: `r-${i}`,
        time: T0 - (20 - Math.floor(i / 3)) * DAY + i * 60_000,
        action: "ai_tool_invoked",
        message: "tool getConfluencePage called",
        product: "confluence",
        place: { ...NO_PLACE, spaces: [i % 2 === 0 ? "ENG" : "OPS"], pages: [String(i)] },
      });
      return JSON.parse(raw) as unknown;
    });
  const normalized = (items: unknown[], catalog: ReturnType<typeof buildCatalog>) =>
    items.map((item) => {
      const result = normalize(item, { orgId: "org-1", catalog, backfillUntil: null });
      if (!result.ok) throw new Error(result.error);
      return result.event;
    });
  const baselines = (s: ReturnType<typeof store>) => ({
    scopes: s.rows(
      `SELECT ${USER}, scope, first_seq, first_time, last_time FROM person_scopes ORDER BY 1, 2`,
    ),
    hours: s.rows(`SELECT ${USER}, hour, calls FROM person_hours ORDER BY 1, 2`),
  });

  it("keep a person's first call of 200 days ago, dated by when it was stored, not by the rebuild", () => {
    const s = store();
    const old = T0 - 200 * DAY;
    // Stored live within a minute of being made, with no processing time from Atlassian.
    s.insert([call("a", { time: old, processedAt: null })], old + MINUTE);
    s.insert([call("b", { time: T0, processedAt: null })], T0 + MINUTE);
    const b = storedEvent(s, "b");
    expect(s.facts.baselines.firstCall(b)).toBe(old);
    s.events.rebuildBaselines("org-1", T0 + DAY);
    expect(s.facts.baselines.firstCall(b)).toBe(old);
  });

  it("count a call of 200 days ago listed as MCP later as made when it was made", () => {
    const s = store();
    const old = T0 - 200 * DAY;
    s.insert([call("a", { time: old, processedAt: null, isMcp: false })], old + MINUTE);
    // Its action listed as MCP now, as classifyChunk records it.
    const listed = { ...storedEvent(s, "a"), isMcp: true };
    s.db.transaction(() => {
      s.events.updateClassification([listed]);
      s.events.recordListedLate([listed], T0);
    })();
    s.insert([call("b", { time: T0, processedAt: null })], T0 + MINUTE);
    expect(s.facts.baselines.firstCall(storedEvent(s, "b"))).toBe(old);
  });

  it("are the ones the events would have made had they been MCP calls when stored", () => {
    const known = buildCatalog(ACTIONS, ["ai_tool_invoked"]);
    const items = history();
    const atOnce = store();
    atOnce.insert(normalized(items, known));
    const later = store();
    later.insert(normalized(items, buildCatalog(ACTIONS)));
    expect(baselines(later).scopes).toEqual([]);

    // What `mcp-activity reclassify` does once the key is known.
    for (const chunk of later.events.iterate("org-1"))
      later.db.transaction(() =>
        later.events.updateClassification(chunk.map((e) => reclassify(e, known))),
      )();
    later.events.rebuildBaselines("org-1", T0);

    expect(baselines(atOnce).scopes.length).toBeGreaterThan(3);
    expect(baselines(later)).toEqual(baselines(atOnce));
    // And back: no MCP call left, no baseline either.
    const unknown = buildCatalog(ACTIONS);
    for (const chunk of later.events.iterate("org-1"))
      later.db.transaction(() =>
        later.events.updateClassification(chunk.map((e) => reclassify(e, unknown))),
      )();
    later.events.rebuildBaselines("org-1", T0);
    expect(baselines(later)).toEqual({ scopes: [], hours: [] });
  });
});
