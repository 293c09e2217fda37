import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { alertRecord } from "../../src/export/records.js";
import { mcpEvent } from "../detect/fixtures.js";
import { freshStore, newAlert, T } from "./setup.js";

type Store = ReturnType<typeof freshStore>;

/** Stores events (MCP unless said) in one transaction, in the order given. */
function store(s: Store, ...events: Array<Partial<NormalizedEvent>>): void {
  s.transaction(() =>
    s.events.insertMany(
      events.map((e, i) => mcpEvent({ id: `ev-${Math.random()}-${i}`, ...e })),
      T,
    ),
  );
}

const none = { mcp_event: 0, alert: 0 };
const any = () => true;

describe("ExportStore", () => {
  it("reads the MCP events after a position, per organization, in the order stored", () => {
    const s = freshStore();
    store(
      s,
      { id: "a", tool: "getJiraIssue" },
      { id: "x", orgId: "org-2" },
      { id: "noise", isMcp: false, tool: null, toolClass: null },
      { id: "b", tool: "createJiraIssue", toolClass: "write" },
    );
    const first = s.export.next("org-1", none, 10);
    expect(first.events.map((e) => e.id)).toEqual(["a", "b"]);
    expect(first.events[0]).toMatchObject({
      orgId: "org-1",
      user: { id: "acc-alice", name: "Alice Example", email: "alice@example.com" },
      tool: "getJiraIssue",
      toolClass: "read",
      authKind: "oauth",
      site: "acme.atlassian.net",
      ip: "203.0.113.10",
    });
    const after = s.export.next("org-1", { ...none, mcp_event: first.events[0]?.seq ?? 0 }, 10);
    expect(after.events.map((e) => e.id)).toEqual(["b"]);
    expect(s.export.next("org-2", none, 10).events.map((e) => e.id)).toEqual(["x"]);
  });

  it("journals every alert change as it was: raised, a person's status change, a severity raised", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ severity: "medium" }));
    s.trail.change("org-1", id, "acknowledged", "U1", T + 1, any);
    s.trail.note("org-1", id, "U2", T + 2, "a note changes no status");
    s.alerts.raiseSeverity("org-1", id, "high", T + 3);
    const { changes } = s.export.next("org-1", none, 10);
    expect(changes.map((c) => [c.change, c.status, c.severity, c.changedBy, c.at, c.rule])).toEqual(
      [
        ["raised", "open", "medium", null, T, "mcp-destructive"],
        ["status", "acknowledged", "medium", "U1", T + 1, "mcp-destructive"],
        ["severity", "acknowledged", "high", null, T + 3, "mcp-destructive"],
      ],
    );
    expect(changes[0]).toMatchObject({
      alertId: id,
      person: { id: "acc-ada", name: "Ada", email: "ada@example.com" },
    });
  });

  it("says whether each alert went to the channel, and what kept a quiet one out", () => {
    const s = freshStore();
    const muted = "marked expected by <@U1> on alert 1, muted for 7 days";
    s.alerts.insert(newAlert());
    s.alerts.insert(newAlert({ notify: false, suppressedBy: muted }));
    s.alerts.insert(newAlert({ notify: false }));
    const { changes } = s.export.next("org-1", none, 10);
    expect(changes.map((c) => [c.forChannel, c.quietedBy])).toEqual([
      [true, null],
      [false, muted],
      [false, null],
    ]);
  });

  it("keeps each change's title as it was then, and who raised a severity by their answer", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ severity: "medium", title: "Ada made 40 calls" }));
    s.alerts.grow(
      { id, orgId: "org-1" },
      {
        seq: 2,
        time: T + 1,
        late: false,
        tools: [],
        severity: "medium",
        notify: true,
        retitle: { title: "Ada made 900 calls", detail: {} },
      },
      T + 1,
    );
    s.alerts.raiseSeverity("org-1", id, "high", T + 2, "U-ADA");
    const { changes } = s.export.next("org-1", none, 10);
    expect(changes.map((c) => [c.change, c.title, c.severity, c.changedBy])).toEqual([
      ["raised", "Ada made 40 calls", "medium", null],
      ["severity", "Ada made 900 calls", "high", "U-ADA"],
    ]);
  });

  it("names each change by its alert's raise and its own time, two in one millisecond apart", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ severity: "low", createdAt: T }));
    // One pass grows the alert past two thresholds: two severity changes at its one `now`.
    s.alerts.raiseSeverity("org-1", id, "medium", T + 5);
    s.alerts.raiseSeverity("org-1", id, "high", T + 5);
    const { changes } = s.export.next("org-1", none, 10);
    expect(changes.map((c) => alertRecord(c).record_id)).toEqual([
      `org-1:alert:${id}.${T}:raised:${T}:0`,
      `org-1:alert:${id}.${T}:severity:${T + 5}:0`,
      `org-1:alert:${id}.${T}:severity:${T + 5}:1`,
    ]);
  });

  it("gives alert changes only once the events are caught up, so an alert never precedes its events", () => {
    const s = freshStore();
    store(s, { id: "a" }, { id: "b" }, { id: "c" });
    s.alerts.insert(newAlert());
    const full = s.export.next("org-1", none, 2);
    expect(full.events).toHaveLength(2);
    expect(full.changes).toEqual([]);
    const rest = s.export.next("org-1", { ...none, mcp_event: full.events[1]?.seq ?? 0 }, 2);
    expect(rest.events.map((e) => e.id)).toEqual(["c"]);
    expect(rest.changes).toHaveLength(1);
  });

  it("keeps the positions, and the oldest record waiting", () => {
    const s = freshStore();
    store(s, { id: "a" });
    s.alerts.insert(newAlert({ createdAt: T + 10 }));
    expect(s.export.positions("org-1")).toEqual(none);
    expect(s.export.oldestPendingAt("org-1")).toBe(T); // the event's ingestion
    const { events } = s.export.next("org-1", none, 10);
    s.export.commit(
      "org-1",
      { mcp_event: events[0]?.seq ?? 0, alert: 0 },
      { at: T + 20, to: "receiver" },
    );
    expect(s.export.oldestPendingAt("org-1")).toBe(T + 10);
    const { changes } = s.export.next("org-1", s.export.positions("org-1"), 10);
    s.export.commit(
      "org-1",
      { ...s.export.positions("org-1"), alert: changes[0]?.changeId ?? 0 },
      { at: T + 30, to: "receiver" },
    );
    expect(s.export.oldestPendingAt("org-1")).toBeNull();
    expect(s.export.next("org-1", s.export.positions("org-1"), 10)).toEqual({
      again: [],
      events: [],
      changes: [],
    });
  });

  it("reads through indexes, never a scan of the events or the journal", () => {
    const s = freshStore();
    const plan = (sql: string, params: Record<string, unknown>) =>
      s.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(params)
        .map((r) => (r as { detail: string }).detail)
        .join("\n");
    const events = plan(
      "SELECT seq FROM event_rows WHERE org = (SELECT ref FROM strings WHERE value = @org) AND is_mcp = 1 AND seq > @after ORDER BY seq LIMIT 500",
      { org: "org-1", after: 0 },
    );
    expect(events).toContain("event_rows_mcp_seq");
    expect(events).not.toMatch(/SCAN event_rows(?! USING)/);
    const changes = plan(
      "SELECT id FROM alert_changes WHERE org_id = @org AND id > @after ORDER BY id LIMIT 500",
      { org: "org-1", after: 0 },
    );
    expect(changes).toMatch(/SEARCH alert_changes USING (COVERING )?INDEX alert_changes_org/);
  });

  it("streams MCP events and alert changes from a time, for the CLI", () => {
    const s = freshStore();
    store(
      s,
      { id: "old", time: T - 10_000 },
      { id: "new", time: T + 1 },
      { id: "newer", time: T + 1 },
      { id: "newest", time: T + 2 },
    );
    s.alerts.insert(newAlert({ createdAt: T - 10_000 }));
    s.alerts.insert(newAlert({ createdAt: T + 5, groupKey: "other" }));
    expect([...s.export.eventsSince("org-1", T, undefined, 1)].map((e) => e.id)).toEqual([
      "new",
      "newer",
      "newest",
    ]);
    expect([...s.export.changesSince("org-1", T, 1)].map((c) => c.at)).toEqual([T + 5]);
    expect(s.export.orgs()).toEqual(["org-1"]);
  });

  it("keeps a stop until resumed", () => {
    const s = freshStore();
    expect(s.export.stopped()).toBeUndefined();
    s.export.stop({ target: "abc", at: T, reason: "the receiver answered 401" });
    expect(s.export.stopped()).toEqual({
      target: "abc",
      at: T,
      reason: "the receiver answered 401",
    });
    expect(s.export.resume()).toBe(true);
    expect(s.export.resume()).toBe(false);
    expect(s.export.stopped()).toBeUndefined();
  });
});
