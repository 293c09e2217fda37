import type { PeopleCalls } from "./people-calls.js";

/**
 * An earlier "not me" and the calls it holds: while its alert is open, every call of its people
 * (keyed as quietKey keys them) in [since, until), those stored after it too (the security team
 * has it now); once a responder handled it, only those it counted: those linked to it, or, for one
 * raised before its calls were linked, its people's calls of its period stored up to `countedUpTo`.
 */
export interface HeldCalls {
  /** Its alert. */
  readonly id: number;
  readonly open: boolean;
  readonly since: number;
  readonly until: number;
  readonly accounts: readonly string[];
  /**
   * Of one raised before migration 0037 (migrations/0062): the last call it counted, by person
   * (0037 linked only its accounts' ids' calls, those stored after it too); null for the others.
   */
  readonly countedUpTo: number | null;
}

/**
 * For each of `held`, whether a call of person `key` (a row of `event_rows`) is held by it, by the
 * parameters heldParams names: an open one's, a comparison of the row's time with its period; a
 * handled one's, a seek of the row's link to it (alert_events' key), or for one raised before
 * links, a comparison of the row's time and seq; "0" when it is about others.
 * A range of the person's calls stays a range.
 */
export function heldByEach(held: readonly HeldCalls[], key: string): string[] {
  return held.map((h, i) => {
    if (!h.accounts.includes(key)) return "0";
    const period = `time >= @held${i}since AND time < @held${i}until`;
    if (h.open) return `(${period})`;
    if (h.countedUpTo !== null) return `(${period} AND seq <= @held${i}upTo)`;
    return `EXISTS (SELECT 1 FROM alert_events WHERE alert_id = @held${i} AND event_seq = event_rows.seq)`;
  });
}

/** The named parameters of heldByEach's conditions. */
export function heldParams(held: readonly HeldCalls[]): Record<string, number> {
  return Object.fromEntries(
    held.flatMap((h, i) => [
      [`held${i}`, h.id],
      [`held${i}since`, h.since],
      [`held${i}until`, h.until],
      ...(h.countedUpTo === null ? [] : [[`held${i}upTo`, h.countedUpTo]]),
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
