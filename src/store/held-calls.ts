import { PERSON } from "./person-sql.js";

/**
 * The calls an earlier "not me" holds: those of its people (keyed as PERSON keys them) in
 * [since, until), stored up to seq `upTo`; all of them, those stored after it too, when null.
 */
export interface HeldCalls {
  readonly since: number;
  readonly until: number;
  readonly accounts: readonly string[];
  readonly upTo: number | null;
}

/** A call of the `events` view (not aliased) that none of `@held` (HeldCalls as JSON) holds. */
const NOT_HELD = `NOT EXISTS (SELECT 1 FROM json_each(@held) h
  WHERE events.time >= json_extract(h.value, '$.since') AND events.time < json_extract(h.value, '$.until')
    AND events.seq <= coalesce(json_extract(h.value, '$.upTo'), events.seq)
    AND ${PERSON} IN (SELECT value FROM json_each(h.value, '$.accounts')))`;

type Condition = { sql: string; params: Readonly<Record<string, string | number>> };

/** A condition on calls of the `events` view narrowed to those none of `held` holds. */
export function leavingHeld(calls: Condition, held: readonly HeldCalls[] = []): Condition {
  if (held.length === 0) return calls;
  return {
    sql: `${calls.sql} AND ${NOT_HELD}`,
    params: { ...calls.params, held: JSON.stringify(held) },
  };
}
