import type Database from "better-sqlite3";
import type { DigestData } from "../domain/digest.js";
import { calledTool } from "../domain/event.js";
import type { Db } from "./db.js";
import { newCalls, orgRef, seenBefore } from "./new-calls.js";
import { NEWEST_NAMED } from "./newest-name.js";
import { accountRef, type PersonRefs, personCalls, personRef } from "./person-sql.js";

/**
 * People whose first MCP call is new to the digest of [since, until): made in the period, or
 * dated before it and stored after the digest before (`seenThrough`), with no call the digests
 * before reported. People as PERSON keys them: by account id, else e-mail, else name (an
 * API-token call may name an e-mail only), a call naming the e-mail of an account's calls being
 * that account's. A seek per person, not a scan of history: their calls before the period, on the
 * (org, user, time) index and, naming no account, on the index of those calls, each entry
 * carrying its seq. The first 50, and how many in all.
 */
export function firstTimers(
  db: Db,
  orgId: string,
  since: number,
  until: number,
  seenThrough: number | undefined,
  history = false,
): Pick<DigestData, "firstTimers" | "firstTimerCount"> {
  const org = orgRef(db, orgId);
  if (org === undefined) return { firstTimers: [], firstTimerCount: 0 };
  const columns = "org, user_id, user_email, user_name, time";
  const calls = newCalls(columns, org, since, until, seenThrough, history);
  // A question about one person's calls dated before a time (`calls`: a FROM clause selecting
  // `columns`, `also` a condition on each), one statement per way of naming a person (account,
  // e-mail, name), prepared when first asked.
  const prepared = new Map<string, Database.Statement<[Record<string, number>]>>();
  const ask = <T>(
    sql: (calls: string) => string,
    p: PersonRefs,
    columns: string,
    before: number,
    also = "",
    more: Record<string, number> = {},
  ) => {
    const [from, person] = personCalls(p, columns, also);
    const text = sql(from);
    let statement = prepared.get(text);
    if (!statement) {
      statement = db.prepare<[Record<string, number>]>(text);
      prepared.set(text, statement);
    }
    return statement.get({ org, person, before, ...more }) as T | undefined;
  };
  const value = db.prepare<[number], string>("SELECT value FROM strings WHERE ref = ?").pluck();
  const text = (ref: number | null) => (ref === null ? null : (value.get(ref) ?? null));
  const seen = seenBefore(seenThrough);
  const newcomers = db
    .prepare<number[], PersonRefs & { first: number }>(
      `SELECT ${accountRef("c")} AS id, user_email AS email, user_name AS name, min(time) AS first
       FROM (${calls.sql}) c WHERE ${personRef("c")} IS NOT NULL GROUP BY ${personRef("c")}
       ORDER BY first`,
    )
    .all(...calls.params)
    .filter(
      (p) =>
        ask((calls) => `SELECT 1 FROM ${calls} LIMIT 1`, p, "1", since, "AND seq <= @seen", {
          seen,
        }) === undefined,
    );
  return {
    // A newcomer's calls up to the period's end are all new: none before it was reported. The
    // first tool and app are its earliest call's; the name and e-mail its newest call's that
    // names one, as Top people names it (NEWEST_NAMED).
    firstTimers: newcomers.slice(0, 50).flatMap((p) => {
      const first = ask<{ tool: number | null; operation: number | null; app: number | null }>(
        (calls) =>
          `SELECT tool, operation, client_app AS app FROM ${calls} ORDER BY tool IS NULL, time LIMIT 1`,
        p,
        "tool, operation, client_app, time",
        until,
      );
      if (!first) return [];
      const named = ask<{ name: number | null; email: number | null }>(
        (calls) => `SELECT user_name AS name, user_email AS email, ${NEWEST_NAMED} FROM ${calls}`,
        p,
        "user_name, user_email, time",
        until,
      );
      const id = text(p.id);
      const email = text(named?.email ?? null);
      return [
        {
          name: text(named?.name ?? null) ?? email ?? id ?? "?",
          email,
          id,
          // As alerts name it: a wrapper with the operation it ran.
          tool: calledTool({ tool: text(first.tool), innerTool: text(first.operation) }),
          app: text(first.app),
        },
      ];
    }),
    firstTimerCount: newcomers.length,
  };
}
