import type { GuidanceStats, ObservedUse } from "../domain/activity.js";
import type { Db } from "./db.js";

type Params = Array<string | number>;

/** What `/mcp-activity settings` shows responders: the period's use, against each admin control. */
export class GuidanceFigureStore {
  constructor(private readonly db: Db) {}

  /** MCP calls of the period by site, product, class of tool and authentication. */
  observedUse(orgId: string, since: number, until: number): ObservedUse[] {
    return this.db
      .prepare<[string, number, number], ObservedUse>(
        `SELECT site_host AS site, product, tool_class AS toolClass, auth_kind AS authKind, count(*) AS calls
         FROM events WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ?
         GROUP BY site_host, product, tool_class, auth_kind ORDER BY calls DESC`,
      )
      .all(orgId, since, until);
  }

  /** The figures that say why each admin control matters in this organization now. */
  guidanceStats(orgId: string, since: number, until: number): GuidanceStats {
    const one = <T>(sql: string, ...params: Params): T | undefined =>
      this.db.prepare<Params, T>(sql).get(...params);
    const window = "org_id = ? AND is_mcp = 1 AND time >= ? AND time < ?";
    const calls = one<{
      n: number;
      token: number | null;
      writes: number | null;
      destructive: number | null;
    }>(
      `SELECT count(*) AS n, sum(auth_kind = 'api-token') AS token, sum(tool_class = 'write') AS writes,
         sum(tool_class IN ('destructive', 'admin')) AS destructive FROM events WHERE ${window}`,
      orgId,
      since,
      until,
    );
    const writeSites = one<{ n: number }>(
      `SELECT count(DISTINCT site_host) AS n FROM events WHERE ${window} AND tool_class IN ('write', 'destructive', 'admin')`,
      orgId,
      since,
      until,
    );
    // People whose first MCP call through OAuth (an app they connected: API tokens are counted
    // apart) is in the window and was seen live: the history fetched on first start tells when
    // the bot began, not when they did.
    // From the window's calls, each person looked back on through event_rows_mcp_user: never
    // the organization's whole history (`until` is now: no call after it).
    const newPeople = this.db
      .prepare<[{ org: string; since: number; until: number }], { n: number }>(
        `SELECT count(*) AS n FROM (SELECT user_id FROM events WHERE org_id = @org AND is_mcp = 1
           AND time >= @since AND time < @until AND user_id IS NOT NULL AND auth_kind <> 'api-token'
           GROUP BY user_id HAVING max(backfilled) = 0) w
       WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.org_id = @org AND e.is_mcp = 1
         AND e.user_id = w.user_id AND e.time < @since AND e.auth_kind <> 'api-token')`,
      )
      .get({ org: orgId, since, until });
    const countries = one<{ n: number }>(
      `SELECT count(DISTINCT country) AS n FROM events WHERE ${window}`,
      orgId,
      since,
      until,
    );
    const authorizations = one<{ n: number }>(
      "SELECT count(*) AS n FROM alerts WHERE org_id = ? AND rule_id = 'mcp-app-authorized' AND first_seen >= ? AND first_seen < ?",
      orgId,
      since,
      until,
    );
    return {
      calls: calls?.n ?? 0,
      apiTokenCalls: calls?.token ?? 0,
      writeCalls: calls?.writes ?? 0,
      destructiveCalls: calls?.destructive ?? 0,
      writeSites: writeSites?.n ?? 0,
      newPeople: newPeople?.n ?? 0,
      countries: countries?.n ?? 0,
      appAuthorizations: authorizations?.n ?? 0,
    };
  }
}
