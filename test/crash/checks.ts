/** What bot.test.ts requires of the database and the channel once everything has settled. */
import Database from "better-sqlite3";
import { expect } from "vitest";
import type { FakeMessage } from "../fakes/slack-api.js";

export interface Click {
  readonly user: string;
  readonly alertId: number;
  readonly ts: string;
  /** Slack's request got its 200: the click was acknowledged. */
  acked: boolean;
}

export interface StoredState {
  readonly eventIds: string[];
  readonly alerts: Array<{ id: number; notify: number; status: string }>;
  readonly deliveries: Array<{ alert_id: number; ts: string | null; via_summary: number }>;
  readonly changes: Array<{
    alert_id: number;
    actor: string;
    from_status: string;
    to_status: string;
  }>;
  readonly digests: Array<{
    id: number;
    kind: string;
    period_end: number;
    ts: string | null;
    posted_at: number | null;
  }>;
}

export function readStore(path: string, orgId: string): StoredState {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const all = <T>(sql: string) => db.prepare<[string], T>(sql).all(orgId);
    return {
      eventIds: all<{ id: string }>("SELECT id FROM events WHERE org_id = ? ORDER BY id").map(
        (r) => r.id,
      ),
      alerts: all("SELECT id, notify, status FROM alerts WHERE org_id = ? ORDER BY id"),
      deliveries: all("SELECT alert_id, ts, via_summary FROM deliveries WHERE org_id = ?"),
      changes: all(
        "SELECT alert_id, actor, from_status, to_status FROM alert_trail WHERE org_id = ? AND from_status != to_status ORDER BY id",
      ),
      digests: all(
        "SELECT id, kind, period_end, ts, posted_at FROM digests WHERE org_id = ? ORDER BY id",
      ),
    };
  } finally {
    db.close();
  }
}

export const topLevel = (messages: readonly FakeMessage[]) =>
  messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);

const payloadOf = (m: FakeMessage, type: string, key: string): number | undefined =>
  m.metadata?.event_type === type ? Number(m.metadata.event_payload[key]) : undefined;

const alertIdOf = (m: FakeMessage) => payloadOf(m, "mcp_alert", "alert_id");

type Element = { action_id?: string; value?: string };

/** A posted alert still showing its Acknowledge button, not clicked in this test yet. */
export function clickable(
  messages: readonly FakeMessage[],
  clicks: readonly Click[],
): { alertId: number; ts: string } | undefined {
  for (const m of topLevel(messages).reverse()) {
    const alertId = alertIdOf(m);
    if (alertId === undefined || clicks.some((c) => c.alertId === alertId)) continue;
    const elements = (m.blocks ?? []).flatMap(
      (b) => ((b as { elements?: Element[] }).elements ?? []) as Element[],
    );
    if (elements.some((e) => e.action_id === "alert_acknowledge")) return { alertId, ts: m.ts };
  }
  return undefined;
}

/** Counts of each value, keeping those seen more than once. */
function repeated<T>(values: readonly T[]): T[] {
  const seen = new Map<T, number>();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([v]) => v);
}

/** Every valid event the simulator served, stored once. */
export function checkEvents(store: StoredState, valid: readonly string[], where: string): void {
  expect(repeated(store.eventIds), `${where} events stored twice`).toEqual([]);
  const sorted = [...valid].sort();
  const stored = new Set(store.eventIds);
  expect(
    sorted.filter((id) => !stored.has(id)),
    `${where} valid events never stored`,
  ).toEqual([]);
  const served = new Set(sorted);
  expect(
    store.eventIds.filter((id) => !served.has(id)),
    `${where} events stored that were not served`,
  ).toEqual([]);
}

/**
 * Every alert to post is posted alone exactly once, its delivery pointing at that message; every
 * alert counted in a summary has its summary posted, and no summary is posted twice.
 */
export function checkAlerts(
  store: StoredState,
  messages: readonly FakeMessage[],
  where: string,
): void {
  const top = topLevel(messages);
  const posted = top.flatMap((m) => {
    const id = alertIdOf(m);
    return id === undefined ? [] : [{ id, ts: m.ts }];
  });
  expect(repeated(posted.map((p) => p.id)), `${where} alerts posted twice`).toEqual([]);
  const summaries = top.flatMap((m) => payloadOf(m, "mcp_alert_summary", "first_alert_id") ?? []);
  expect(repeated(summaries), `${where} summaries posted twice`).toEqual([]);
  const rollups = top.flatMap((m) => payloadOf(m, "mcp_alert_rollup", "hour") ?? []);
  expect(repeated(rollups), `${where} an hour's roll-up posted twice`).toEqual([]);
  const deliveries = new Map(store.deliveries.map((d) => [d.alert_id, d]));
  const summaryTs = new Set(
    top
      .filter((m) =>
        ["mcp_alert_summary", "mcp_alert_rollup"].includes(m.metadata?.event_type ?? ""),
      )
      .map((m) => m.ts),
  );
  for (const alert of store.alerts.filter((a) => a.notify === 1)) {
    const delivery = deliveries.get(alert.id);
    const message = posted.find((p) => p.id === alert.id);
    if (delivery?.via_summary === 1) {
      expect(
        message,
        `${where} alert ${alert.id} both summarised and posted alone`,
      ).toBeUndefined();
      expect(
        summaryTs.has(delivery.ts ?? ""),
        `${where} summary of alert ${alert.id} not posted: its delivery says ts ${delivery.ts}, the summaries and roll-ups posted are at ${[...summaryTs].join(", ") || "none"}; top-level messages: ${JSON.stringify(top.map((m) => [m.ts, m.metadata?.event_type, m.metadata?.event_payload]))}`,
      ).toBe(true);
      continue;
    }
    expect(message, `${where} alert ${alert.id} never posted`).toBeDefined();
    expect(delivery?.ts, `${where} alert ${alert.id}: delivery not recorded`).toBe(message?.ts);
  }
  const notified = new Set(store.alerts.filter((a) => a.notify === 1).map((a) => a.id));
  expect(
    posted.filter((p) => !notified.has(p.id)),
    `${where} alerts posted that were not to be`,
  ).toEqual([]);
}

/**
 * Each status change belongs to one click on that alert, never two changes for one click; a
 * click whose message Slack was asked to update has its change recorded.
 */
export function checkClicks(
  store: StoredState,
  clicks: readonly Click[],
  updatedBy: (click: Click) => boolean,
  where: string,
): void {
  expect(repeated(store.changes.map((c) => c.actor)), `${where} one click changed twice`).toEqual(
    [],
  );
  for (const change of store.changes) {
    const click = clicks.find((c) => c.user === change.actor);
    expect(click?.alertId, `${where} a status change no click asked for`).toBe(change.alert_id);
    expect(`${change.from_status}->${change.to_status}`).toBe("open->acknowledged");
  }
  for (const click of clicks.filter(updatedBy))
    expect(
      store.changes.some((c) => c.actor === click.user),
      `${where} the message of alert ${click.alertId} says acknowledged, the trail does not`,
    ).toBe(true);
  const statuses = new Map(store.alerts.map((a) => [a.id, a.status]));
  for (const change of store.changes)
    expect(statuses.get(change.alert_id), `${where} alert ${change.alert_id}`).toBe("acknowledged");
}

/** Each digest record posted once: one top-level message per record and per period. */
export function checkDigests(
  store: StoredState,
  messages: readonly FakeMessage[],
  where: string,
): void {
  const top = topLevel(messages).filter((m) => m.metadata?.event_type === "mcp_digest");
  expect(
    repeated(top.map((m) => payloadOf(m, "mcp_digest", "digest_id"))),
    `${where} digests posted twice`,
  ).toEqual([]);
  expect(
    repeated(top.map((m) => payloadOf(m, "mcp_digest", "period_end"))),
    `${where} periods posted twice`,
  ).toEqual([]);
  expect(
    repeated(store.digests.map((d) => `${d.kind}:${d.period_end}`)),
    `${where} digest records repeated`,
  ).toEqual([]);
  for (const digest of store.digests) {
    const message = top.find((m) => payloadOf(m, "mcp_digest", "digest_id") === digest.id);
    expect(message?.ts, `${where} digest ${digest.id} not posted`).toBeDefined();
    expect(digest.ts, `${where} digest ${digest.id}: its message not recorded`).toBe(message?.ts);
    expect(digest.posted_at, `${where} digest ${digest.id} not finished`).not.toBeNull();
  }
  expect(top).toHaveLength(store.digests.length);
}
