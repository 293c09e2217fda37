/**
 * Stream positions and the opaque cursors that carry them. A position means "after every item
 * whose key is <= (ms, seq)": generated events have key (processedAt, 0), injected items
 * (processedAt, 1, 2, …), so several items can share a millisecond.
 */
import { hashString } from "./prng.js";

export interface Position {
  readonly ms: number;
  readonly seq: number;
}

/** Before everything. */
export const ORIGIN: Position = { ms: Number.MIN_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };

/** Before every item processed at or after `from`. */
export function positionBefore(from: number): Position {
  return { ms: from - 1, seq: Number.MAX_SAFE_INTEGER };
}

export function compareKeys(a: Position, b: Position): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.seq - b.seq;
}

/**
 * `generation` lets the server invalidate every earlier cursor; `secret` makes forgeries fail;
 * `timeFrom`, when `from` filters on events' time, is the `from` of the read the cursor goes on.
 */
export function encodeCursor(
  position: Position,
  generation: number,
  secret: string,
  timeFrom?: number,
): string {
  const from = timeFrom === undefined ? "" : `.${timeFrom}`;
  const body = `${generation}.${position.ms}.${position.seq}${from}`;
  const mac = hashString(`${secret}|${body}`).toString(36);
  return Buffer.from(`${body}.${mac}`, "utf8").toString("base64url");
}

/** The position, generation and timeFrom, or undefined when the text is not a cursor we issued. */
export function decodeCursor(
  cursor: string,
  secret: string,
): { position: Position; generation: number; timeFrom?: number } | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split(".");
  const mac = parts.pop();
  const body = parts.join(".");
  if (parts.length < 3 || parts.length > 4 || mac !== hashString(`${secret}|${body}`).toString(36))
    return undefined;
  const [generation, ms, seq, timeFrom] = parts.map(Number);
  if (generation === undefined || ms === undefined || seq === undefined) return undefined;
  if (![generation, ms, seq, timeFrom ?? 0].every(Number.isSafeInteger)) return undefined;
  const position = { ms, seq };
  return timeFrom === undefined ? { position, generation } : { position, generation, timeFrom };
}
