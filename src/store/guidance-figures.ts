import type { GuidanceStats, ObservedUse } from "../domain/activity.js";
import type { ActionInfo } from "../domain/event.js";
import { authorizedMcpApp, authorizesAnApp } from "../domain/mcp-app-authorization.js";
import type { Db } from "./db.js";
import { type EventRow, eventsFrom } from "./event-rows.js";

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
    return {
      calls: calls?.n ?? 0,
      apiTokenCalls: calls?.token ?? 0,
      writeCalls: calls?.writes ?? 0,
      destructiveCalls: calls?.destructive ?? 0,
      writeSites: writeSites?.n ?? 0,
      newPeople: newPeople?.n ?? 0,
      countries: countries?.n ?? 0,
      appAuthorizations: this.appAuthorizations(orgId, since, until),
    };
  }

  /**
   * The window's authorizations of the MCP app, told from the events as mcp-app-authorized tells
   * them: the history fetched on first start too (never alerted on), whether the rule is on or not.
   */
  private appAuthorizations(orgId: string, since: number, until: number): number {
    const actions = this.actionsIn(orgId, since, until);
    const keys = actions.filter((a) => authorizesAnApp(a.action, a)).map((a) => a.action);
    if (keys.length === 0) return 0;
    const names = new Map(actions.map((a) => [a.action, a]));
    const rows = this.db
      .prepare<[string, number, number, string], EventRow>(
        `SELECT * FROM events WHERE org_id = ? AND time >= ? AND time < ?
           AND action IN (SELECT value FROM json_each(?)) ORDER BY seq`,
      )
      .all(orgId, since, until, JSON.stringify(keys));
    return eventsFrom(this.db, rows).filter((e) => authorizedMcpApp(e, names.get(e.action))).length;
  }

  /** The actions of the window's events, MCP calls or not, with their names in the catalogue. */
  private actionsIn(orgId: string, since: number, until: number): ActionInfo[] {
    return this.db
      .prepare<[string, number, number, string], ActionInfo>(
        `SELECT s.value AS action, a.display_name AS displayName, a.group_name AS groupName
         FROM (SELECT DISTINCT action FROM event_rows WHERE org = (SELECT ref FROM strings WHERE value = ?)
           AND time >= ? AND time < ?) w
         JOIN strings s ON s.ref = w.action
         LEFT JOIN event_actions a ON a.org_id = ? AND a.action = s.value`,
      )
      .all(orgId, since, until, orgId);
  }
}
