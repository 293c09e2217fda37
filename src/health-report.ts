import type { Clock } from "./clock.js";
import type { HealthReport } from "./http-server.js";
import type { WatchedOrgs } from "./organizations.js";
import type { StatusFigures } from "./slack/blocks/query.js";
import type { NotifierHealth } from "./slack/notifier.js";
import type { Db } from "./store/open.js";
import { VERSION } from "./version.js";
import type { WatchedOrganization } from "./watched-organization.js";

export interface HealthSources {
  readonly db: Db;
  readonly clock: Clock;
  readonly startedAt: number;
  readonly orgs: WatchedOrgs;
  /** In the order of ATLASSIAN_ORG_ID: the first gives the top-level `poller` section. */
  readonly watched: readonly [WatchedOrganization, ...WatchedOrganization[]];
}

function databaseOk(db: Db): boolean {
  try {
    return db.prepare("SELECT 1 AS ok").get() !== undefined;
  } catch {
    return false;
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The channel's state across the notifiers that share it. */
function slackHealth(notifiers: readonly NotifierHealth[]) {
  const lastError = notifiers.map((n) => n.lastError).find((e) => e !== null) ?? null;
  const paused = notifiers.map((n) => n.pausedUntil ?? 0).reduce((a, b) => Math.max(a, b), 0);
  return {
    ok: lastError === null || lastError.advice === null,
    pending: notifiers.reduce((sum, n) => sum + n.pending, 0),
    pausedUntil: paused > 0 ? paused : null,
    lastError,
  };
}

/**
 * GET /healthz: unhealthy when the database, Slack, or any organization's poller or rules are.
 * The top-level `poller` and `rules` sections are the first organization's, as with one; the
 * `organizations` list has each one's.
 */
export function healthReport(s: HealthSources): HealthReport {
  // One reading per organization, so the verdict and the sections agree (and events are
  // counted once).
  const pollers = s.watched.map((w) => w.pollerSection());
  const rules = s.watched.map((w) => w.rulesSection());
  // A full disk or a lock shows where it is met: writing (the poller), not in `SELECT 1`.
  const writeProblem = pollers.map((p) => p.lastError).find((e) => e?.kind === "database");
  const dbOk = databaseOk(s.db) && writeProblem === undefined;
  const slack = slackHealth(s.watched.map((w) => w.notifier.health()));
  const healthy = dbOk && slack.ok && pollers.every((p) => p.ok) && rules.every((r) => r.ok);
  return {
    healthy,
    body: {
      status: healthy ? "ok" : "unhealthy",
      version: VERSION,
      uptimeSeconds: Math.round((s.clock.now() - s.startedAt) / 1000),
      database: { ok: dbOk, problem: writeProblem?.message ?? null },
      poller: pollers[0],
      rules: rules[0],
      slack: {
        ok: slack.ok,
        pendingDeliveries: slack.pending,
        pausedUntil: iso(slack.pausedUntil),
        lastError: slack.lastError && { ...slack.lastError, at: iso(slack.lastError.at) },
      },
      organizations: s.watched.map((w, i) => ({
        orgId: w.orgId,
        name: s.orgs.name(w.orgId),
        poller: pollers[i],
        rules: rules[i],
      })),
    },
  };
}

/** `/mcp-activity status`: the one organization's figures, or each one's under its name. */
export function statusFigures(s: HealthSources): StatusFigures {
  const [first] = s.watched;
  const slack = slackHealth(s.watched.map((w) => w.notifier.health()));
  const common = [
    databaseOk(s.db) ? undefined : "the database does not answer",
    slack.lastError?.advice ?? undefined,
  ];
  const healthy = healthReport(s).healthy;
  if (!s.orgs.several) return { ...first.status(common), healthy };
  return {
    ...first.status([]),
    healthy,
    problems: common.filter((p): p is string => p !== undefined),
    organizations: s.watched.map((w) => ({
      ...w.status([]),
      organization: s.orgs.name(w.orgId),
    })),
  };
}
