import type { Db } from "./db.js";
import { orgRef } from "./new-calls.js";
import { personCalls } from "./person-sql.js";

/** Some accounts' MCP calls of a period: a condition on `seq`, and its named parameters. */
export interface AccountsCalls {
  readonly sql: string;
  readonly params: Readonly<Record<string, number>>;
}

/**
 * The MCP calls of some accounts of an organization in [since, until), each account's as PERSON
 * takes them (personCalls): its own, and those naming no account id (an API token's, which may
 * name the e-mail alone) that carry one of its e-mails when no other account's calls carried it.
 * A condition on the `seq` of `events` or `event_rows`: per account, a range of its calls by time
 * and, on the index of the calls naming no account, the calls of each of its e-mails (all of them:
 * that index orders an e-mail's calls by name before time). Undefined when none of the accounts
 * made a call stored.
 */
export function accountsCalls(
  db: Db,
  orgId: string,
  accounts: readonly string[],
  since: number,
  until: number,
): AccountsCalls | undefined {
  const org = orgRef(db, orgId);
  const ref = db.prepare<[string], number>("SELECT ref FROM strings WHERE value = ?").pluck();
  const refs = [...new Set(accounts)].flatMap((a) => ref.get(a) ?? []);
  if (org === undefined || refs.length === 0) return undefined;
  const calls = refs.map((id, i) => {
    const [from] = personCalls(
      { id, email: null, name: null },
      "seq",
      "AND time >= @since",
      `@a${i}`,
    );
    return `SELECT seq FROM ${from}`;
  });
  return {
    sql: `seq IN (${calls.join(" UNION ALL ")})`,
    params: { org, since, before: until, ...Object.fromEntries(refs.map((r, i) => [`a${i}`, r])) },
  };
}
