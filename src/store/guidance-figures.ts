import type { GuidanceStats, ObservedUse, SettingsChange } from "../domain/activity.js";
import type { ActionInfo } from "../domain/event.js";
import { authorizedMcpApp, authorizesAnApp } from "../domain/mcp-app-authorization.js";
import { isSettingsAction } from "../domain/settings-action.js";
import { nextTurn } from "../wait.js";
import type { Db } from "./db.js";
import { type EventRow, eventsFrom } from "./event-rows.js";
import { refOf as ref } from "./strings.js";

/** Events rebuilt from their raw JSON a turn of the event loop: ~5 ms. */
const EVENTS_A_TURN = 16;

/** The period's MCP calls, on event_rows and their interned ids: see GuidanceFigureStore. */
const PERIOD = `org = ${ref("@org")} AND is_mcp = 1 AND time >= @since AND time < @until`;
const TOKEN = ref("'api-token'");
const CHANGES = [ref("'write'"), ref("'destructive'"), ref("'admin'")].join(", ");

/**
 * What `/mcp-activity settings` shows responders: the period's use, against each admin control.
 * Read from event_rows, comparing and grouping the interned ids and naming only what is shown:
 * through the `events` view, which names every column of every row, the week of the 1M-event
 * benchmark store took ~0.2 s, all of it holding the event loop (now ~0.1 s, in turns).
 */
export class GuidanceFigureStore {
  constructor(private readonly db: Db) {}

  /** MCP calls of the period by site, product, class of tool and authentication. */
  observedUse(orgId: string, since: number, until: number): ObservedUse[] {
    return this.db
      .prepare<[{ org: string; since: number; until: number }], ObservedUse>(
        `SELECT s.value AS site, p.value AS product, c.value AS toolClass, w.toolNamed,
           a.value AS authKind, w.calls
         FROM (SELECT site_host, product, tool_class, tool IS NOT NULL AS toolNamed, auth_kind,
             count(*) AS calls
           FROM event_rows WHERE ${PERIOD}
           GROUP BY site_host, product, tool_class, toolNamed, auth_kind) w
         LEFT JOIN strings s ON s.ref = w.site_host
         LEFT JOIN strings p ON p.ref = w.product
         LEFT JOIN strings c ON c.ref = w.tool_class
         LEFT JOIN strings a ON a.ref = w.auth_kind
         ORDER BY w.calls DESC, site, product, toolClass, w.toolNamed, authKind`,
      )
      .all({ org: orgId, since, until });
  }

  /**
   * The figures that say why each admin control matters in this organization now: a statement a
   * turn of the event loop, so that /healthz, Slack and the polls are answered in between (the
   * longest holds it ~25–35 ms on a week of the 1M-event store). A poll committing in between may
   * add its calls to the figures read after it.
   */
  async guidanceStats(orgId: string, since: number, until: number): Promise<GuidanceStats> {
    const period = { org: orgId, since, until };
    const one = <T>(sql: string): T | undefined =>
      this.db.prepare<[typeof period], T>(sql).get(period);
    // What one sentence of the reply says together is read in one statement: a poll committing
    // between two would otherwise show more sites written to than write calls.
    const calls = one<{
      n: number;
      token: number | null;
      writes: number | null;
      destructive: number | null;
      writeSites: number;
      countries: number;
    }>(
      `SELECT count(*) AS n, sum(auth_kind = ${TOKEN}) AS token,
         sum(tool_class = ${ref("'write'")}) AS writes,
         sum(tool_class IN (${ref("'destructive'")}, ${ref("'admin'")})) AS destructive,
         count(DISTINCT CASE WHEN tool_class IN (${CHANGES}) THEN site_host END) AS writeSites,
         count(DISTINCT country) AS countries
       FROM event_rows WHERE ${PERIOD}`,
    );
    await nextTurn();
    // People whose first MCP call through an app they connected (any but an API token's, which
    // are counted apart; one naming no authentication, `unknown`, counts as an app's) is in the
    // window and was seen live: the history fetched on first start tells when the bot began, not
    // when they did. From the window's calls, each person looked back on through
    // event_rows_mcp_user: never the organization's whole history (`until` is now: no call after
    // it). `IS NOT`: with no API-token call stored, TOKEN is null.
    const app = (e: string) => `${e}.auth_kind IS NOT ${TOKEN}`;
    const newPeople = one<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT user_id FROM event_rows r WHERE ${PERIOD}
           AND user_id IS NOT NULL AND ${app("r")}
           GROUP BY user_id HAVING max(backfilled) = 0) w
       WHERE NOT EXISTS (SELECT 1 FROM event_rows e INDEXED BY event_rows_mcp_user
         WHERE e.org = ${ref("@org")} AND e.is_mcp = 1 AND e.user_id = w.user_id
           AND e.time < @since AND ${app("e")})`,
    );
    await nextTurn();
    const acts = await this.adminActs(orgId, since, until);
    return {
      calls: calls?.n ?? 0,
      apiTokenCalls: calls?.token ?? 0,
      writeCalls: calls?.writes ?? 0,
      destructiveCalls: calls?.destructive ?? 0,
      writeSites: calls?.writeSites ?? 0,
      newPeople: newPeople?.n ?? 0,
      countries: calls?.countries ?? 0,
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
  private async adminActs(
    orgId: string,
    since: number,
    until: number,
  ): Promise<{ authorizations: number; changes: SettingsChange[] }> {
    const actions = this.actionsIn(orgId, since, until);
    await nextTurn();
    const names = new Map(actions.map((a) => [a.action, a]));
    const keys = actions
      .filter((a) => authorizesAnApp(a.action, a) || isSettingsAction(a.displayName, a.groupName))
      .map((a) => a.action);
    // The period's events of those actions, and those alerted on, picked by the interned ids of
    // their actions.
    const picked = this.db
      .prepare<
        [{ org: string; since: number; until: number; keys: string }],
        { seq: number; alerted: number }
      >(
        `WITH alerted AS (SELECT first_event_seq AS seq FROM alerts WHERE org_id = @org
           AND rule_id = 'mcp-settings-changed' AND first_seen >= @since AND first_seen < @until),
         keys AS (SELECT s.ref FROM json_each(@keys) j JOIN strings s ON s.value = j.value)
         SELECT seq, seq IN (SELECT seq FROM alerted) AS alerted FROM event_rows
         WHERE org = ${ref("@org")} AND time >= @since AND time < @until
           AND (action IN (SELECT ref FROM keys) OR seq IN (SELECT seq FROM alerted))
         ORDER BY seq`,
      )
      .all({ org: orgId, since, until, keys: JSON.stringify(keys) });
    const alerted = new Set(picked.flatMap((p) => (p.alerted === 1 ? [p.seq] : [])));
    let authorizations = 0;
    const changes: SettingsChange[] = [];
    // Each is read again from its raw JSON, a block of events inflated for it (~0.3 ms): a few a
    // turn, each few read and rebuilt in one turn, so that none is read from a block retention
    // has rewritten since (one deleted since is not found).
    for (let from = 0; from < picked.length; from += EVENTS_A_TURN) {
      await nextTurn();
      const seqs = picked.slice(from, from + EVENTS_A_TURN).map((p) => p.seq);
      const rows = this.db
        .prepare<[string], EventRow>(
          "SELECT * FROM events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq",
        )
        .all(JSON.stringify(seqs));
      for (const event of eventsFrom(this.db, rows)) {
        const info = names.get(event.action);
        if (authorizedMcpApp(event, info)) authorizations++;
        // As the rule: an MCP call is no change, unless the rules file lists its key.
        const named =
          !event.isMcp && isSettingsAction(info?.displayName ?? null, info?.groupName ?? null);
        if (named || alerted.has(event.seq))
          changes.push({
            action: event.action,
            name: info?.displayName ?? null,
            by: event.userName ?? event.userEmail ?? event.userId,
            time: event.time,
          });
      }
    }
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
