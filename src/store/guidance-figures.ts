import type { GuidanceStats, ObservedUse, SettingsChange } from "../domain/activity.js";
import type { ActionInfo } from "../domain/event.js";
import { authorizedMcpApp, authorizesAnApp } from "../domain/mcp-app-authorization.js";
import { isSettingsAction } from "../domain/settings-action.js";
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
        `SELECT site_host AS site, product, tool_class AS toolClass, tool IS NOT NULL AS toolNamed,
           auth_kind AS authKind, count(*) AS calls
         FROM events WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ?
         GROUP BY site_host, product, tool_class, toolNamed, auth_kind ORDER BY calls DESC`,
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
    const acts = this.adminActs(orgId, since, until);
    return {
      calls: calls?.n ?? 0,
      apiTokenCalls: calls?.token ?? 0,
      writeCalls: calls?.writes ?? 0,
      destructiveCalls: calls?.destructive ?? 0,
      writeSites: writeSites?.n ?? 0,
      newPeople: newPeople?.n ?? 0,
      countries: countries?.n ?? 0,
      appAuthorizations: acts.authorizations,
      changes: acts.changes,
    };
  }

  /**
   * The window's authorizations of the MCP app and changes to the controls, told from the events
   * as mcp-app-authorized and mcp-settings-changed tell them by the action's names: the history
   * fetched on first start too (never alerted on), whether those rules are on or not; and the
   * changes mcp-settings-changed alerted on for keys the rules file lists.
   */
  private adminActs(
    orgId: string,
    since: number,
    until: number,
  ): { authorizations: number; changes: SettingsChange[] } {
    const actions = this.actionsIn(orgId, since, until);
    const names = new Map(actions.map((a) => [a.action, a]));
    const keys = actions
      .filter((a) => authorizesAnApp(a.action, a) || isSettingsAction(a.displayName, a.groupName))
      .map((a) => a.action);
    const rows = this.db
      .prepare<
        [{ org: string; since: number; until: number; keys: string }],
        EventRow & { alerted: number }
      >(
        `WITH alerted AS (SELECT first_event_seq AS seq FROM alerts WHERE org_id = @org
           AND rule_id = 'mcp-settings-changed' AND first_seen >= @since AND first_seen < @until)
         SELECT *, seq IN (SELECT seq FROM alerted) AS alerted FROM events
         WHERE org_id = @org AND time >= @since AND time < @until
           AND (action IN (SELECT value FROM json_each(@keys)) OR seq IN (SELECT seq FROM alerted))
         ORDER BY seq`,
      )
      .all({ org: orgId, since, until, keys: JSON.stringify(keys) });
    let authorizations = 0;
    const changes: SettingsChange[] = [];
    eventsFrom(this.db, rows).forEach((event, i) => {
      const info = names.get(event.action);
      if (authorizedMcpApp(event, info)) authorizations++;
      // As the rule: an MCP call is no change, unless the rules file lists its key.
      const named =
        !event.isMcp && isSettingsAction(info?.displayName ?? null, info?.groupName ?? null);
      if (named || rows[i]?.alerted === 1)
        changes.push({
          action: event.action,
          name: info?.displayName ?? null,
          by: event.userName ?? event.userEmail ?? event.userId,
          time: event.time,
        });
    });
    return { authorizations, changes: changes.sort((a, b) => b.time - a.time) };
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
