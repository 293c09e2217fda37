import { monotonicNow } from "./clock.js";
import type { Exporter } from "./export/worker.js";
import type { HealthReport } from "./http-server.js";
import { type SlackHealthSources, slackHealth } from "./slack-health.js";
import { storeProblem } from "./store/errors.js";
import { isoOrNull } from "./time-units.js";
import { VERSION } from "./version.js";
import type { WatchedOrganization } from "./watched-organization.js";
import type { Supervisor } from "./workers/supervisor.js";
import type { WorkerHealth } from "./workers/worker.js";

type ExportSection = ReturnType<Exporter["section"]>;

export interface HealthSources extends SlackHealthSources {
  /** Whether the database answers a query. */
  readonly databaseAnswers: () => boolean;
  /** Why the files at DATABASE_PATH are not those the bot opened (deleted, replaced), or null. */
  readonly databaseFiles: () => string | null;
  /** The clock's monotonic reading (monotonicNow) at start: the uptime is counted from it. */
  readonly started: number;
  /** In the order of ATLASSIAN_ORG_ID: the first gives the top-level `poller` section. */
  readonly watched: readonly [WatchedOrganization, ...WatchedOrganization[]];
  /** What the operator must fix about the responders (a user group gone, a scope), if anything. */
  readonly respondersProblem?: () => string | undefined;
  /** Every worker of the process, and how each is doing. */
  readonly workers: Pick<Supervisor, "health" | "problems">;
  /** The SIEM export's section, when EXPORT_URL is set. */
  readonly exportSection?: (() => ExportSection) | undefined;
}

/** Since the start, on a clock NTP does not step. */
function uptimeSeconds(s: HealthSources): number {
  return Math.round((monotonicNow(s.clock) - s.started) / 1000);
}

/** One reading of everything health depends on, taken once per request. */
export function read(s: HealthSources) {
  // One reading per organization, so the verdict and the sections agree (and events are
  // counted once).
  const pollers = s.watched.map((w) => w.pollerSection());
  const rules = s.watched.map((w) => w.rulesSection());
  const workers = s.workers.health();
  // A full disk or a lock shows where it is met: writing (the poller, the rules, a worker), not
  // in `SELECT 1`.
  const writeProblem = [
    ...pollers.map((p) => p.lastError),
    ...rules.map((r) => r.lastError),
    ...workers.map((w) => w.lastError),
  ].find((e) => e?.kind === "database");
  const answers = s.databaseAnswers();
  const filesProblem = s.databaseFiles();
  const dbOk = answers && writeProblem === undefined && filesProblem === null;
  const dbProblem = filesProblem ?? writeProblem?.message ?? null;
  const slack = slackHealth(s);
  const healthy = dbOk && slack.ok && pollers.every((p) => p.ok) && rules.every((r) => r.ok);
  return { pollers, rules, workers, dbProblem, answers, filesProblem, dbOk, slack, healthy };
}

/**
 * GET /healthz: unhealthy when the database, Slack, or any organization's poller or rules are.
 * The SIEM export is shown (`export`, `ok: false` while it retries or is stopped) but never makes
 * the bot unhealthy: alerts still reach Slack, and a restart would not fix a receiver.
 * The top-level `poller` and `rules` sections are the first organization's, as with one; the
 * `organizations` list has each one's.
 */
export function healthReport(s: HealthSources): HealthReport {
  try {
    return report(s);
  } catch (error) {
    return unreadable(s, error);
  }
}

function report(s: HealthSources): HealthReport {
  const { pollers, rules, workers, dbProblem, dbOk, slack, healthy } = read(s);
  return {
    healthy,
    body: {
      status: healthy ? "ok" : "unhealthy",
      version: VERSION,
      uptimeSeconds: uptimeSeconds(s),
      database: { ok: dbOk, problem: dbProblem },
      poller: pollers[0],
      rules: rules[0],
      slack,
      workers: workersSection(workers),
      ...(s.exportSection ? { export: s.exportSection() } : {}),
      organizations: s.watched.map((w, i) => ({
        orgId: w.orgId,
        name: s.orgs.name(w.orgId),
        poller: pollers[i],
        rules: rules[i],
      })),
    },
  };
}

function workersSection(workers: readonly WorkerHealth[]) {
  return workers.map((w) => ({
    name: w.name,
    org: w.orgId ?? null,
    ok: w.ok,
    lastPassAt: isoOrNull(w.lastPassAt),
    lastError: w.lastError && { message: w.lastError.message, at: isoOrNull(w.lastError.at) },
  }));
}

/**
 * The report when the database cannot be read (a damaged file, a lock held past the busy
 * timeout): what is known without it, and what to do under `database.problem`.
 */
function unreadable(s: HealthSources, error: unknown): HealthReport {
  return {
    healthy: false,
    body: {
      status: "unhealthy",
      version: VERSION,
      uptimeSeconds: uptimeSeconds(s),
      database: {
        ok: false,
        problem:
          storeProblem(error)?.message ??
          `the database cannot be read: ${(error as Error).message}`,
      },
      // The workers' health reads the database too (the poller's counts): left out when it fails.
      ...withoutFailure(() => ({ workers: workersSection(s.workers.health()) })),
    },
  };
}

function withoutFailure<T extends object>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
