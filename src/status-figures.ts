import type { StatusFigures } from "./domain/status.js";
import { type HealthSources, read } from "./health-report.js";
import { missingScopesLine } from "./slack/scopes.js";
import type { SlackHealth } from "./slack-health.js";
import type { WorkerHealth } from "./workers/worker.js";

/** The scopes the Slack app lacks, for `status`, unless they are Slack's problem already. */
function scopesProblem(slack: SlackHealth): string | undefined {
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
