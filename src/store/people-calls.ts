import { keyedBy } from "../domain/person-key.js";
import type { Db } from "./db.js";
import { orgRef } from "./new-calls.js";
import { type PersonRefs, personCalls } from "./person-sql.js";

/**
 * Some people's MCP calls: a condition on `seq`, and its named parameters for a period.
 */
export interface PeopleCalls {
  readonly sql: string;
  params(since: number, until: number): Readonly<Record<string, number>>;
}

/**
 * The MCP calls of some people of an organization, each as PERSON takes them (personCalls), the
 * people keyed as quietKey keys them. An account's: its own, and those naming no account id (an
 * API token's, which may name the e-mail alone) that carry one of its e-mails when no other
 * account's calls carried it; a person known by e-mail alone (`email:` and the address): the calls
 * naming it and no account id. A condition on the `seq` of `events` or `event_rows`: per account,
 * a range of its calls by time and, on the index of the calls naming no account, the calls of each
 * of its e-mails (all of them: that index orders an e-mail's calls by name before time).
 * Undefined when none of the people made a call stored.
 */
export function peopleCalls(
  db: Db,
  orgId: string,
  people: readonly string[],
): PeopleCalls | undefined {
  const org = orgRef(db, orgId);
  const ref = db.prepare<[string], number>("SELECT ref FROM strings WHERE value = ?").pluck();
  const refs = [...new Set(people)].flatMap((key): PersonRefs[] => {
    const [account, email] = keyedBy(key);
    const id = account === null ? undefined : ref.get(account);
    if (id !== undefined) return [{ id, email: null, name: null }];
    const by = email === null ? undefined : ref.get(email);
    return by === undefined ? [] : [{ id: null, email: by, name: null }];
  });
  if (org === undefined || refs.length === 0) return undefined;
  const calls = refs.map((p, i) => personCalls(p, "seq", "AND time >= @since", `@p${i}`));
  const persons = Object.fromEntries(calls.map(([, person], i) => [`p${i}`, person]));
  return {
    sql: `seq IN (${calls.map(([from]) => `SELECT seq FROM ${from}`).join(" UNION ALL ")})`,
    params: (since, until) => ({ org, since, before: until, ...persons }),
  };
}
