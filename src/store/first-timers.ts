import type { DigestData } from "../domain/digest.js";
import { calledTool } from "../domain/event.js";
import type { Db } from "./db.js";
import { newCalls, orgRef, seenBefore } from "./new-calls.js";
import { NEWEST_NAMED } from "./newest-name.js";

/**
 * People whose first MCP call is new to the digest of [since, until): made in the period, or
 * dated before it and stored after the digest before (`seenThrough`), with no call the digests
 * before reported. A seek per person, not a scan of history: their calls before the period, on
 * the (org, user, time) index, each entry carrying its seq. The first 50, and how many in all.
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
  const calls = newCalls("user_id, time", org, since, until, seenThrough, history);
  const before = db.prepare<number[], { one: number }>(
    "SELECT 1 AS one FROM event_rows WHERE org = ? AND user_id = ? AND is_mcp = 1 AND time < ? AND seq <= ? LIMIT 1",
  );
  // A newcomer's calls up to the period's end are all new: none before it was reported. The
  // first tool and app are its earliest call's; the name its newest call's that names one, as
  // Top people names it (NEWEST_NAMED).
  const within = "org_id = ? AND is_mcp = 1 AND user_id = ? AND time < ?";
  const firstCall = db.prepare<
    Array<string | number>,
    { tool: string | null; operation: string | null; app: string | null }
  >(
    `SELECT tool, operation, client_app AS app FROM events WHERE ${within}
     ORDER BY tool IS NULL, time LIMIT 1`,
  );
  const named = db.prepare<Array<string | number>, { name: string; email: string | null }>(
    `SELECT coalesce(user_name, user_email, user_id) AS name, user_email AS email, ${NEWEST_NAMED}
     FROM events WHERE ${within}`,
  );
  const seen = seenBefore(seenThrough);
  const newcomers = db
    .prepare<number[], { ref: number; user_id: string; first: number }>(
      `SELECT n.user_id AS ref, s.value AS user_id, min(n.time) AS first FROM (${calls.sql}) n
       JOIN strings s ON s.ref = n.user_id GROUP BY n.user_id ORDER BY first`,
    )
    .all(...calls.params)
    .filter((u) => before.get(org, u.ref, since, seen) === undefined);
  return {
    firstTimers: newcomers.slice(0, 50).flatMap((u) =>
      firstCall.all(orgId, u.user_id, until).map((first) => {
        const newest = named.get(orgId, u.user_id, until);
        return {
          name: newest?.name ?? u.user_id,
          email: newest?.email ?? null,
          id: u.user_id,
          // As alerts name it: a wrapper with the operation it ran.
          tool: calledTool({ tool: first.tool, innerTool: first.operation }),
          app: first.app,
        };
      }),
    ),
    firstTimerCount: newcomers.length,
  };
}
