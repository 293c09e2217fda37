import type { DigestData, PeriodFigures, TimeBucket } from "../domain/digest.js";
import { CALLED_TOOL } from "./called-tool.js";
import type { Db } from "./db.js";
import { digestFindings, newestLink } from "./digest-findings.js";
import { firstTimers } from "./first-timers.js";
import { historySpan, lateArrivals } from "./new-calls.js";
import { NEWEST_NAMED } from "./newest-name.js";
import { PERSON } from "./person-sql.js";

type Params = Array<string | number>;

/** How a period is read: its chart's bucket width, and where the span it is compared with starts. */
export interface FigureOptions {
  readonly bucketMs: number;
  readonly previousSince: number;
  /**
   * The newest event seq stored when the digest before of its kind was made: calls dated before
   * the period and stored after it are new to this one. Without it, every earlier call counts as
   * seen, and none as late.
   */
  readonly seenThrough?: number;
  /**
   * The newest alert link made when the digest before of its kind was composed: a settings change
   * or app authorization dated before the period and linked after it is named by this one.
   */
  readonly linkedThrough?: number;
  /** The first start's summary: only the rows the backfill stored (`backfilled`), none live. */
  readonly history?: boolean;
}

/** The rows the first start's backfill stored: what Atlassian processed before it. */
const HISTORY = " AND backfilled = 1";

/** The store's side of a digest: every figure of one period, by SQL over its time window. */
export class DigestFigureStore {
  constructor(private readonly db: Db) {}

  private all<T>(sql: string, ...params: Params): T[] {
    return this.db.prepare<Params, T>(sql).all(...params);
  }

  private figures(orgId: string, since: number, until: number, only = ""): PeriodFigures {
    const row = this.db
      .prepare<Params, PeriodFigures>(
        `SELECT count(*) AS calls, count(DISTINCT ${PERSON}) AS people, count(DISTINCT ${CALLED_TOOL}) AS tools,
           count(DISTINCT site_host) AS sites FROM events WHERE org_id = ? AND time >= ? AND time < ? AND is_mcp = 1${only}`,
      )
      .get(orgId, since, until);
    return row ?? { calls: 0, people: 0, tools: 0, sites: 0 };
  }

  /**
   * Every posted alert still open that was raised before the period's end, whenever it was
   * raised: one left unhandled since Monday is still named on Thursday, after its reminders
   * stopped. Most severe and oldest first, the first 10, and how many in all. Read through the
   * index of the open posted alerts, named: by status and time SQLite would also walk every open
   * alert never posted (digest only), which nobody closes and which pile up over the years.
   */
  private stillOpen(
    orgId: string,
    until: number,
    channelLink: (channel: string, ts: string) => string,
  ): Pick<DigestData, "openAlerts" | "openAlertCount"> {
    const open = "a.org_id = ? AND a.status = 'open' AND a.created_at < ? AND a.notify = 1";
    const rows = this.all<{
      id: number;
      title: string;
      severity: string;
      created_at: number;
      channel: string | null;
      ts: string | null;
    }>(
      `SELECT a.id, a.title, a.severity, a.created_at, d.channel, d.ts FROM alerts a INDEXED BY alerts_open_posted
         LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id
       WHERE ${open}
       ORDER BY CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, a.created_at, a.id LIMIT 10`,
      orgId,
      until,
    );
    return {
      openAlerts: rows.map((a) => ({
        id: a.id,
        title: a.title,
        severity: a.severity,
        createdAt: a.created_at,
        link: a.channel && a.ts && isTs(a.ts) ? channelLink(a.channel, a.ts) : null,
      })),
      openAlertCount:
        this.all<{ n: number }>(
          `SELECT count(*) AS n FROM alerts a INDEXED BY alerts_open_posted WHERE ${open}`,
          orgId,
          until,
        )[0]?.n ?? 0,
    };
  }

  /** Everything but health, which the caller adds from the poller. */
  read(
    orgId: string,
    since: number,
    until: number,
    channelLink: (channel: string, ts: string) => string,
    { bucketMs, previousSince, seenThrough, linkedThrough, history }: FigureOptions,
  ): Omit<DigestData, "health"> {
    const only = history ? HISTORY : "";
    const w = `org_id = ? AND time >= ? AND time < ? AND is_mcp = 1${only}`;
    const p: Params = [orgId, since, until];
    const byClass = Object.fromEntries(
      this.all<{ k: string; n: number }>(
        `SELECT coalesce(tool_class, 'unknown') AS k, count(*) AS n FROM events WHERE ${w} GROUP BY k`,
        ...p,
      ).map((r) => [r.k, r.n]),
    );
    const buckets = new Map<number, TimeBucket>();
    const bucket0 = { read: 0, search: 0, write: 0, destructive: 0, admin: 0 };
    for (let start = since; start < until; start += bucketMs)
      buckets.set(start, { start, ...bucket0, other: 0 });
    for (const r of this.all<{ h: number; c: string | null; n: number }>(
      `SELECT CAST(? AS INTEGER) + ((time - CAST(? AS INTEGER)) / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS h, tool_class AS c, count(*) AS n FROM events WHERE ${w} GROUP BY h, c`,
      since,
      since,
      bucketMs,
      bucketMs,
      ...p,
    )) {
      const bucket = buckets.get(r.h);
      // Each call by its class, as the text counts them; a call of no known class (it named no
      // tool) as other.
      const c = r.c !== null && r.c in bucket0 ? r.c : "other";
      if (bucket)
        buckets.set(r.h, { ...bucket, [c]: (bucket[c as keyof TimeBucket] as number) + r.n });
    }
    // Each account once, as detection keys people (PERSON: its id, else its e-mail, else its
    // name; the calls naming none as one), named by its newest call of the period that names it
    // (NEWEST_NAMED).
    const token = this.all<{ name: string; email: string | null; id: string | null; n: number }>(
      `SELECT name, email, id, n FROM (SELECT coalesce(user_name, user_email, user_id, '?') AS name, user_email AS email, user_id AS id,
           count(*) AS n, ${NEWEST_NAMED} FROM events WHERE ${w} AND auth_kind = 'api-token'
           GROUP BY ${PERSON})
         ORDER BY n DESC, name, email, id`,
      ...p,
    );
    const alertWindow = "org_id = ? AND created_at >= ? AND created_at < ?";
    const named = (rule: string) =>
      digestFindings(this.db, orgId, rule, since, until, seenThrough, linkedThrough);
    const authorizations = named("mcp-app-authorized");
    const settings = named("mcp-settings-changed");
    return {
      orgId,
      since,
      until,
      current: this.figures(orgId, since, until, only),
      previous: this.figures(orgId, previousSince, previousSince + (until - since), only),
      previousSince,
      byClass,
      bucketMs,
      buckets: [...buckets.values()],
      // Each person as detection keys them (PERSON), by the name of their newest call of the
      // period that names one (NEWEST_NAMED): the name they have now.
      topPeople: this.all(
        `SELECT key, count, email, id FROM (SELECT coalesce(user_name, user_email, user_id) AS key, count(*) AS count,
           user_email AS email, user_id AS id, ${NEWEST_NAMED}
           FROM events WHERE ${w} AND ${PERSON} IS NOT NULL GROUP BY ${PERSON}) ORDER BY count DESC, key LIMIT 5`,
        ...p,
      ),
      // Named as alerts name them: a wrapper's calls by the operation each ran (CALLED_TOOL).
      topTools: this.all(
        `SELECT ${CALLED_TOOL} AS key, count(*) AS count FROM events WHERE ${w} AND tool IS NOT NULL GROUP BY tool, operation ORDER BY count DESC, key LIMIT 5`,
        ...p,
      ),
      ...firstTimers(this.db, orgId, since, until, seenThrough, history),
      arrivedLate: lateArrivals(this.db, orgId, since, seenThrough) ?? null,
      apiToken: {
        calls: token.reduce((sum, t) => sum + t.n, 0),
        accounts: token.map((t) => ({ name: t.name, email: t.email, id: t.id })),
      },
      appAuthorizations: authorizations.findings,
      appAuthorizationCount: authorizations.count,
      settingsChanges: settings.findings,
      settingsChangeCount: settings.count,
      alerts: this.all(
        `SELECT rule_id AS ruleId, count(*) AS raised,
           sum(status = 'open' AND suppressed_by IS NULL AND notify = 1) AS open,
           sum(status = 'open' AND suppressed_by IS NULL AND notify = 0) AS digestOnly,
           sum(suppressed_by IS NOT NULL) AS quieted FROM alerts WHERE ${alertWindow} GROUP BY rule_id ORDER BY raised DESC`,
        orgId,
        since,
        until,
      ),
      ...this.stillOpen(orgId, until, channelLink),
    };
  }

  /** The newest alert link made: where a digest composed now stands (see digestFindings). */
  linkedThrough(): number {
    return newestLink(this.db);
  }

  /** The first start's history as stored (see historySpan). */
  history(orgId: string, until: number): { since: number; through: number } | undefined {
    return historySpan(this.db, orgId, until);
  }
}

/** A Slack message ts ("1700000000.000100"), not a placeholder. */
const isTs = (ts: string) => /^\d+\.\d+$/.test(ts);
