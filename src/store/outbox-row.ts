import type { OutboxItem, OutboxMethod, OutboxPayload } from "../domain/outbox.js";

/**
 * The furthest ahead this app sets an attempt (the longest wait, 15 minutes, and a minute more):
 * one set further was set before the clock stepped back, and is due now.
 */
export const FURTHEST_MS = 16 * 60_000;

/** Outbox rows with their parent's state and where it was delivered. */
export const WITH_PARENT = `SELECT o.*, p.state AS p_state, p.delivered_channel AS p_channel, p.delivered_ts AS p_ts
  FROM outbox o LEFT JOIN outbox p ON p.id = o.parent_id`;

/** A row read through WITH_PARENT. */
export interface OutboxRow {
  id: number;
  key: string;
  org_id: string | null;
  kind: string;
  ref: string | null;
  method: string;
  destination: string;
  channel: string | null;
  user_id: string | null;
  parent_id: number | null;
  target_ts: string | null;
  payload: string;
  file: Buffer | null;
  data: string | null;
  priority: number;
  state: string;
  owner: string | null;
  nonces: string;
  first_claimed_at: number | null;
  uncertain: number;
  attempts: number;
  deadline: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  p_state: string | null;
  p_channel: string | null;
  p_ts: string | null;
}

/** The item a row holds: a reply in a thread goes where its parent was delivered, once it was. */
export function toItem(row: OutboxRow): OutboxItem {
  const viaParent = row.parent_id !== null && row.p_state === "delivered";
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    method: row.method as OutboxMethod,
    orgId: row.org_id,
    ref: row.ref,
    destination: row.destination,
    channel: viaParent ? (row.p_channel ?? row.channel) : row.channel,
    userId: row.user_id,
    parentId: row.parent_id,
    targetTs: viaParent ? row.p_ts : row.target_ts,
    parentLost: row.p_state === "failed" || row.p_state === "dropped",
    payload: JSON.parse(row.payload) as OutboxPayload,
    file: row.file,
    data: row.data === null ? {} : (JSON.parse(row.data) as Record<string, unknown>),
    priority: row.priority,
    attempts: row.attempts,
    nonces: JSON.parse(row.nonces) as string[],
    firstClaimedAt: row.first_claimed_at,
    uncertain: row.uncertain === 1,
    deadline: row.deadline,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}
