import { keyedBy } from "../domain/person-key.js";
import type { Db } from "./db.js";
import { orgRef } from "./new-calls.js";
import { type PersonRefs, personCalls } from "./person-sql.js";

/**
 * Some people's MCP calls: a condition on `seq`, the calls as rows, and their named parameters
 * for a period.
 */
export interface PeopleCalls {
  readonly sql: string;
  /**
   * The calls as a compound select of `event_rows`, each person's selecting `columns` of its key
   * and meeting `also` of it (a condition on event_rows' columns, starting with AND).
   */
  rows(columns: (key: string) => string, also?: (key: string) => string): string;
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
  const known = [...new Set(people)].flatMap((key): Array<{ key: string; p: PersonRefs }> => {
    const [account, email] = keyedBy(key);
    const id = account === null ? undefined : ref.get(account);
    if (id !== undefined) return [{ key, p: { id, email: null, name: null } }];
    const by = email === null ? undefined : ref.get(email);
    return by === undefined ? [] : [{ key, p: { id: null, email: by, name: null } }];
  });
  if (org === undefined || known.length === 0) return undefined;
  const branches = (columns: (key: string) => string, also: (key: string) => string = () => "") =>
    known.map(({ key, p }, i) =>
      personCalls(p, columns(key), `AND time >= @since ${also(key)}`, `@p${i}`),
    );
  const persons = Object.fromEntries(
    branches(() => "seq").map(([, person], i) => [`p${i}`, person]),
  );
  const rows = (columns: (key: string) => string, also?: (key: string) => string) =>
    branches(columns, also)
      .map(([from]) => `SELECT * FROM ${from}`)
      .join(" UNION ALL ");
  return {
    sql: `seq IN (${rows(() => "seq")})`,
    rows,
    params: (since, until) => ({ org, since, before: until, ...persons }),
  };
}
