import type Database from "better-sqlite3";
import type { DigestData } from "../domain/digest.js";
import { calledTool } from "../domain/event.js";
import type { Db } from "./db.js";
import { newCalls, orgRef, seenBefore } from "./new-calls.js";
import { NEWEST_NAMED } from "./newest-name.js";
import { PERSON_REF, type PersonRefs, personCalls } from "./person-sql.js";

/**
 * People whose first MCP call is new to the digest of [since, until): made in the period, or
 * dated before it and stored after the digest before (`seenThrough`), with no call the digests
 * before reported. People as detection keys them: by account id, else e-mail, else name (an
 * API-token call may name an e-mail only). A seek per person, not a scan of history: their calls
 * before the period, on the (org, user, time) index or, naming no account, on the index of those
 * calls, each entry carrying its seq. The first 50, and how many in all.
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
  const columns = "user_id, user_email, user_name, time";
  const calls = newCalls(columns, org, since, until, seenThrough, history);
  // A question about one person's calls dated before a time (`of`: its FROM and WHERE), one
  // statement per way of naming a person (account, e-mail, name), prepared when first asked.
  const prepared = new Map<string, Database.Statement<number[]>>();
  const ask = <T>(sql: (of: string) => string, p: PersonRefs, ...params: number[]) => {
    const [table, who, ref] = personCalls(p);
    const text = sql(`FROM ${table} WHERE org = ? AND is_mcp = 1 AND ${who} AND time < ?`);
    let statement = prepared.get(text);
    if (!statement) {
      statement = db.prepare<number[]>(text);
      prepared.set(text, statement);
    }
    return statement.get(org, ref, ...params) as T | undefined;
  };
  const value = db.prepare<[number], string>("SELECT value FROM strings WHERE ref = ?").pluck();
  const text = (ref: number | null) => (ref === null ? null : (value.get(ref) ?? null));
  const seen = seenBefore(seenThrough);
  const newcomers = db
    .prepare<number[], PersonRefs & { first: number }>(
      `SELECT user_id AS id, user_email AS email, user_name AS name, min(time) AS first
       FROM (${calls.sql}) WHERE ${PERSON_REF} IS NOT NULL GROUP BY ${PERSON_REF} ORDER BY first`,
    )
    .all(...calls.params)
    .filter(
      (p) => ask((of) => `SELECT 1 ${of} AND seq <= ? LIMIT 1`, p, since, seen) === undefined,
    );
  return {
    // A newcomer's calls up to the period's end are all new: none before it was reported. The
    // first tool and app are its earliest call's; the name and e-mail its newest call's that
    // names one, as Top people names it (NEWEST_NAMED).
    firstTimers: newcomers.slice(0, 50).flatMap((p) => {
      const first = ask<{ tool: number | null; operation: number | null; app: number | null }>(
        (of) =>
          `SELECT tool, operation, client_app AS app ${of} ORDER BY tool IS NULL, time LIMIT 1`,
        p,
        until,
      );
      if (!first) return [];
      const named = ask<{ name: number | null; email: number | null }>(
        (of) => `SELECT user_name AS name, user_email AS email, ${NEWEST_NAMED} ${of}`,
        p,
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
