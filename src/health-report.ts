import { type Clock, monotonicNow } from "./clock.js";
import type { OutboxHealth } from "./domain/outbox.js";
import type { StatusFigures } from "./domain/status.js";
import type { Exporter } from "./export/worker.js";
import type { HealthReport } from "./http-server.js";
import type { WatchedOrgs } from "./organizations.js";
import type { SlackPauses } from "./slack/outbox/pauses.js";
import type { SlackPoster } from "./slack/outbox/poster.js";
import { deliveryProblem } from "./slack/outbox/trouble.js";
import { cannotPostLine, type MissingScope, missingScopesLine } from "./slack/scopes.js";
import type { SignatureState } from "./slack/signatures.js";
import { SOCKET_GRACE_MS, type SocketState } from "./slack/socket-connection.js";
import { storeProblem } from "./store/errors.js";
import type { OutboxStore } from "./store/outbox.js";
import { isoOrNull } from "./time-units.js";
import { VERSION } from "./version.js";
import type { WatchedOrganization } from "./watched-organization.js";
import type { Supervisor } from "./workers/supervisor.js";
import type { WorkerHealth } from "./workers/worker.js";

type ExportSection = ReturnType<Exporter["section"]>;

export interface HealthSources {
  /** Whether the database answers a query. */
  readonly databaseAnswers: () => boolean;
  /** Why the files at DATABASE_PATH are not those the bot opened (deleted, replaced), or null. */
  readonly databaseFiles: () => string | null;
  readonly clock: Clock;
  /** The clock's monotonic reading (monotonicNow) at start: the uptime is counted from it. */
  readonly started: number;
  readonly orgs: WatchedOrgs;
  /** In the order of ATLASSIAN_ORG_ID: the first gives the top-level `poller` section. */
  readonly watched: readonly [WatchedOrganization, ...WatchedOrganization[]];
  readonly outbox: OutboxStore;
  /** Alerts waiting to be queued for Slack (held back while it does not take the channel's posts). */
  readonly heldBack?: () => number;
  readonly pauses: SlackPauses;
  readonly poster: SlackPoster;
  /** Who may handle alerts, in words. */
  readonly responders: () => string;
  /** What the operator must fix about the responders (a user group gone, a scope), if anything. */
  readonly respondersProblem?: () => string | undefined;
  /** The scopes of manifest.yml the Slack app lacks; undefined while Slack has not said. */
  readonly missingScopes?: () => readonly MissingScope[] | undefined;
  /** Every worker of the process, and how each is doing. */
  readonly workers: Pick<Supervisor, "health" | "problems">;
  /** The SIEM export's section, when EXPORT_URL is set. */
  readonly exportSection?: (() => ExportSection) | undefined;
  /** In Socket Mode, the connection to Slack (undefined in HTTP mode, or before it starts). */
  readonly socketMode?: () => SocketState | undefined;
  /** In HTTP mode, how Slack's requests pass their signature check (undefined before it starts). */
  readonly signatures?: () => SignatureState | undefined;
}

/**
 * Slack as the outbox sees it: what waits, by kind, and for how long; the methods paused for the
 * workspace; the last failure of this process (with advice for a setup problem) and the last
 * message Slack refused for good. Unhealthy only for what the operator must fix.
 */
function slackHealth(s: HealthSources) {
  const now = s.clock.now();
  const outbox = s.outbox.health();
  const paused = s.pauses.active();
  const { lastError, alertChannelSharedExternally } = s.poster.health();
  const heldBack = s.heldBack?.() ?? 0;
  const pending = Object.values(outbox.pendingByKind).reduce((sum, n) => sum + n, heldBack);
  const until = paused.reduce((max, p) => Math.max(max, p.until), 0);
  const socket = s.socketMode?.();
  const signatures = s.signatures?.();
  // Down past the grace of a start or a drop: nobody's command or click is answered.
  const socketDown =
    socket !== undefined && !socket.connected && now - socket.since >= SOCKET_GRACE_MS;
  const missingScopes = s.missingScopes?.() ?? null;
  // Without chat:write nothing is posted: unhealthy before the first post fails. Without the
  // others less works, which `missingScopes` and `status` say.
  const problem =
    deliveryProblem(lastError, outbox.oldestPendingAt, now) ??
    cannotPostLine(missingScopes) ??
    null;
  return {
    ok: problem === null && !socketDown,
    problem,
    responders: s.responders(),
    // Never unhealthy: a warning at start says what it means.
    alertChannelSharedExternally,
    missingScopes,
    pendingDeliveries: pending,
    heldBack,
    outbox: {
      pending: outbox.pendingByKind,
      sending: outbox.inFlight,
      oldestPendingSeconds:
        outbox.oldestPendingAt === null
          ? null
          : Math.max(0, Math.round((now - outbox.oldestPendingAt) / 1000)),
    },
    paused: paused.map((p) => ({ method: p.method, until: isoOrNull(p.until), reason: p.reason })),
    pausedUntil: until > 0 ? isoOrNull(until) : null,
    ...(socket && {
      socketMode: {
        connected: socket.connected,
        since: isoOrNull(socket.since),
        lastError: socket.lastError,
      },
    }),
    // Never unhealthy: anyone reaching the port may send unsigned requests.
    ...(signatures && {
      requests: {
        refused: signatures.refused,
        refusedFor: signatures.refusedFor,
        clockBehind: signatures.clockBehind,
        firstRefusedAt: isoOrNull(signatures.firstRefusedAt),
        lastVerifiedAt: isoOrNull(signatures.lastVerifiedAt),
      },
    }),
    lastError: lastError && { ...lastError, at: isoOrNull(lastError.at) },
    lastPermanentFailure: permanentFailure(outbox.lastFailure, s.orgs),
  };
}

/**
 * The last message Slack refused for good, as anyone reaching /healthz may read it: what it was,
 * about which organization or alert, why and when; never whom it was for, nor an organization
 * no longer watched (a message queued before ATLASSIAN_ORG_ID changed), nor its alert.
 */
function permanentFailure(failure: OutboxHealth["lastFailure"], orgs: WatchedOrgs) {
  if (failure === null) return null;
  const { kind, orgId, alertId, reason, at } = failure;
  const gone = orgId !== null && !orgs.includes(orgId);
  return gone
    ? { kind, orgId: null, alertId: null, reason, at: isoOrNull(at) }
    : { kind, orgId, alertId, reason, at: isoOrNull(at) };
}

/** Since the start, on a clock NTP does not step. */
function uptimeSeconds(s: HealthSources): number {
  return Math.round((monotonicNow(s.clock) - s.started) / 1000);
}

/** One reading of everything health depends on, taken once per request. */
function read(s: HealthSources) {
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

/** The scopes the Slack app lacks, for `status`, unless they are Slack's problem already. */
function scopesProblem(slack: ReturnType<typeof slackHealth>): string | undefined {
  const missing = slack.missingScopes;
  if (!missing?.length) return undefined;
  const line = missingScopesLine(missing);
  return line === slack.problem ? undefined : line;
}

/**
 * Each problem once: one that another line contains (the database's, which the poller or the
 * rules that met it also say, in the same words) is left out.
 */
function saidOnce(problems: readonly string[]): string[] {
  return problems.filter(
    (p, i) => !problems.some((q, j) => j !== i && q.includes(p) && (q !== p || j < i)),
  );
}

/**
 * `/mcp-activity status`: the one organization's figures, or each one's under its name. Every
 * reason /healthz is unhealthy for is among its problems (but Socket Mode being down: no command
 * reaches the bot then).
 */
export function statusFigures(s: HealthSources): StatusFigures {
  const [first] = s.watched;
  const { answers, dbProblem, slack, healthy, workers } = read(s);
  const shared = [
    // The files replaced, else a full disk or a lock, wherever it was met (the poller says its
    // own failures only once it is stale).
    dbProblem ?? undefined,
    answers ? undefined : "the database does not answer",
    slack.problem ?? undefined,
    // Not in /healthz's verdict (but chat:write): less works, and `slack.missingScopes` says it.
    scopesProblem(slack),
    // Not in /healthz's verdict: alerts still reach Slack, and `slack.responders` says it there.
    s.respondersProblem?.(),
  ];
  if (s.orgs.several) {
    // An organization's workers' failures are said under it; the poller's and the outbox's are
    // told in their own words. A problem an organization's line says is not said above it too.
    const failing = workers.filter((w) => !w.ok && w.name !== "poller" && w.name !== "outbox");
    const said = (w: WorkerHealth) => `${w.name}: ${w.lastError?.message ?? "failing"}`;
    const organizations = s.watched.map((w) => {
      const figures = w.status(failing.filter((f) => f.orgId === w.orgId).map(said));
      return {
        ...figures,
        problems: saidOnce(figures.problems),
        organization: s.orgs.name(w.orgId),
      };
    });
    const below = organizations.flatMap((o) => o.problems);
    const above = [...shared, ...failing.filter((f) => f.orgId === undefined).map(said)];
    return {
      ...first.status([]),
      healthy,
      problems: saidOnce(above.filter((p): p is string => p !== undefined)).filter(
        (p) => !below.some((line) => line.includes(p)),
      ),
      organizations,
    };
  }
  // The poller's and the outbox's failures are told in their own words.
  const common = [...shared, ...s.workers.problems(["poller", "outbox"])];
  const figures = first.status(common);
  return { ...figures, healthy, problems: saidOnce(figures.problems) };
}
