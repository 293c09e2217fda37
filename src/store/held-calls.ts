import type { PeopleCalls } from "./people-calls.js";

/**
 * The calls an earlier "not me" holds: those of its people (keyed as quietKey keys them) in
 * [since, until), stored up to seq `upTo`; all of them, those stored after it too, when null.
 */
export interface HeldCalls {
  readonly since: number;
  readonly until: number;
  readonly accounts: readonly string[];
  readonly upTo: number | null;
}

/**
 * For each of `held`, whether a call of person `key` (a row of `event_rows`) is held by it: a
 * comparison of the row's time and seq with the parameters heldParams names, "0" when it is about
 * others. No subquery: a range of the person's calls stays a range.
 */
export function heldByEach(held: readonly HeldCalls[], key: string): string[] {
  return held.map((h, i) => {
    if (!h.accounts.includes(key)) return "0";
    const upTo = h.upTo === null ? "" : ` AND seq <= @held${i}upTo`;
    return `(time >= @held${i}since AND time < @held${i}until${upTo})`;
  });
}

/** The named parameters of heldByEach's conditions. */
export function heldParams(held: readonly HeldCalls[]): Record<string, number> {
  return Object.fromEntries(
    held.flatMap((h, i) => [
      [`held${i}since`, h.since],
      [`held${i}until`, h.until],
      ...(h.upTo === null ? [] : [[`held${i}upTo`, h.upTo]]),
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
