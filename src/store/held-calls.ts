import type { PeopleCalls } from "./people-calls.js";

/**
 * An earlier "not me" and the calls it holds: while its alert is open, every call of its people
 * (keyed as quietKey keys them) in [since, until), those stored after it too (the security team
 * has it now); once a responder handled it, only those linked to it (those it counted).
 */
export interface HeldCalls {
  /** Its alert. */
  readonly id: number;
  readonly open: boolean;
  readonly since: number;
  readonly until: number;
  readonly accounts: readonly string[];
}

/**
 * For each of `held`, whether a call of person `key` (a row of `event_rows`) is held by it, by the
 * parameters heldParams names: an open one's, a comparison of the row's time with its period; a
 * handled one's, a seek of the row's link to it (alert_events' key); "0" when it is about others.
 * A range of the person's calls stays a range.
 */
export function heldByEach(held: readonly HeldCalls[], key: string): string[] {
  return held.map((h, i) => {
    if (!h.accounts.includes(key)) return "0";
    if (!h.open)
      return `EXISTS (SELECT 1 FROM alert_events WHERE alert_id = @held${i} AND event_seq = event_rows.seq)`;
    return `(time >= @held${i}since AND time < @held${i}until)`;
  });
}

/** The named parameters of heldByEach's conditions. */
export function heldParams(held: readonly HeldCalls[]): Record<string, number> {
  return Object.fromEntries(
    held.flatMap((h, i) => [
      [`held${i}`, h.id],
      [`held${i}since`, h.since],
      [`held${i}until`, h.until],
    ]),
  );
}

type Condition = { sql: string; params: Readonly<Record<string, string | number>> };

/** Some people's calls of [since, until) that none of `held` holds: a condition on `seq`. */
export function leavingHeld(
  calls: PeopleCalls,
  since: number,
  until: number,
  held: readonly HeldCalls[] = [],
): Condition {
  if (held.length === 0) return { sql: calls.sql, params: calls.params(since, until) };
  const notHeld = (key: string) => {
    const by = heldByEach(held, key).filter((c) => c !== "0");
    return by.length === 0 ? "" : `AND NOT (${by.join(" OR ")})`;
  };
  return {
    sql: `seq IN (${calls.rows(() => "seq", notHeld)})`,
    params: { ...calls.params(since, until), ...heldParams(held) },
  };
}
