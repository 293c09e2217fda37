import type { AlertChange, ExportedEvent, ExportPositions } from "../domain/export.js";
import { alertRecord, eventRecord, line } from "./records.js";

/** The largest batch: at most this many records… */
export const BATCH_RECORDS = 500;
/** …and about this many bytes (a single larger record still goes alone). */
const BATCH_BYTES = 1_000_000;

export interface Batch {
  /** NDJSON: one record a line. */
  readonly body: string;
  readonly events: number;
  readonly alerts: number;
  /** The positions once the receiver has it. */
  readonly to: ExportPositions;
  /** The seqs of the events in it: out of the queue to be sent again once the receiver has it. */
  readonly sent: readonly number[];
}

/**
 * One batch from what was read after `from`: the events first, then the alert changes, each in
 * its order, cut at `maxBytes`. Undefined when there is nothing to send. An event at or below
 * the position (sent again: it became an MCP call after the export passed it) leaves it where it
 * is. Pure.
 */
export function buildBatch(
  from: ExportPositions,
  events: readonly ExportedEvent[],
  changes: readonly AlertChange[],
  maxBytes = BATCH_BYTES,
): Batch | undefined {
  const lines: string[] = [];
  let bytes = 0;
  let to = from;
  let sent = { events: 0, alerts: 0 };
  const seqs: number[] = [];
  const fits = (text: string) => lines.length === 0 || bytes + Buffer.byteLength(text) <= maxBytes;
  for (const e of events) {
    const text = line(eventRecord(e));
    if (!fits(text)) return done();
    lines.push(text);
    bytes += Buffer.byteLength(text);
    to = { ...to, mcp_event: Math.max(to.mcp_event, e.seq) };
    sent = { ...sent, events: sent.events + 1 };
    seqs.push(e.seq);
  }
  for (const c of changes) {
    const text = line(alertRecord(c));
    if (!fits(text)) return done();
    lines.push(text);
    bytes += Buffer.byteLength(text);
    to = { ...to, alert: c.changeId };
    sent = { ...sent, alerts: sent.alerts + 1 };
  }
  return done();

  function done(): Batch | undefined {
    return lines.length === 0 ? undefined : { body: lines.join(""), ...sent, to, sent: seqs };
  }
}
