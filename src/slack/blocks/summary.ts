import type * as types from "@slack/types";
import type { Alert } from "../../domain/alert.js";
import { top } from "../../query/aggregate.js";
import { HOUR } from "../../time-units.js";
import { counted } from "../../words.js";
import { mrkdwn } from "../escape.js";
import type { SlackMessage } from "./alert.js";
import { fitLines, LIMITS } from "./limits.js";
import { accountLabels } from "./person-labels.js";

const SUMMARY_EVENT_TYPE = "mcp_alert_summary";

/**
 * A field: its heading, then as many bullets as fit in Slack's limit for a field, then how many
 * of `total` it leaves out.
 */
function countsField(heading: string, bullets: readonly string[], total: number) {
  const room = LIMITS.field - 40; // for the line that says how many are left out
  const kept: string[] = [];
  let used = heading.length;
  for (const bullet of bullets) {
    if (used + 1 + bullet.length > room) break;
    kept.push(bullet);
    used += 1 + bullet.length;
  }
  const left = total - kept.length;
  const text = [heading, ...kept, ...(left > 0 ? [`…and ${left} more`] : [])].join("\n");
  return { type: "mrkdwn" as const, text };
}

/** The `n` most counted, a bullet each. */
function topList(counts: Map<string, number>, n: number): string[] {
  return top(counts, n).map(({ key, count }) => `• ${mrkdwn(key, 120)}: ${count}`);
}

/**
 * The "By person" field: the `n` people with the most alerts (as many as fit), a bullet each, and
 * how many were left out: each account once (by its id), named by its newest alert, with the
 * e-mail beside a name shown twice.
 */
function byPersonField(alerts: readonly Alert[], n: number) {
  const people = new Map<string, { count: number; newest: Alert }>();
  for (const alert of alerts) {
    const key = alert.userId ?? alert.userEmail ?? alert.userName ?? "unknown";
    const had = people.get(key);
    people.set(key, {
      count: (had?.count ?? 0) + 1,
      newest: had && had.newest.id > alert.id ? had.newest : alert,
    });
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const shown = [...people.values()]
    .map(({ count, newest: a }) => ({
      count,
      name: a.userName ?? a.userEmail ?? a.userId ?? "unknown",
      email: a.userEmail,
      id: a.userId,
    }))
    .sort(
      (a, b) => b.count - a.count || order(a.name, b.name) || order(a.email ?? "", b.email ?? ""),
    )
    .slice(0, n);
  const labels = accountLabels(shown, 120);
  const bullets = shown.map((p, i) => `• ${labels[i]}: ${p.count}`);
  return countsField("*By person*", bullets, people.size);
}

/** One message for alerts that came faster than the channel can take: counts by rule and person. */
export function overflowSummary(
  alerts: readonly Alert[],
  orgId: string,
  organization?: string,
): SlackMessage {
  const byRule = new Map<string, number>();
  for (const alert of alerts) byRule.set(alert.ruleId, (byRule.get(alert.ruleId) ?? 0) + 1);
  const of = organization === undefined ? "" : ` of ${mrkdwn(organization, 200)}`;
  const high = alerts.filter((a) => a.severity === "high").length;
  const highs = high === 0 ? "" : ` (${high} of them high)`;
  const text = `${counted(alerts.length, "more alert", "more alerts")}${of}${highs} arrived faster than this channel can show them one by one`;
  const blocks: types.KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${text}.* Ask \`/mcp-activity status:open${organization === undefined ? "" : ` org:${mrkdwn(orgId, 200)}`}\` for each of them.`,
      },
    },
    {
      type: "section",
      fields: [
        countsField("*By rule*", topList(byRule, 10), byRule.size),
        byPersonField(alerts, 10),
      ],
    },
  ];
  const ids = alerts.map((a) => a.id);
  return {
    text,
    blocks,
    metadata: {
      event_type: SUMMARY_EVENT_TYPE,
      event_payload: {
        org_id: orgId,
        first_alert_id: Math.min(...ids),
        last_alert_id: Math.max(...ids),
        count: ids.length,
      },
    },
  };
}

const ROLLUP_EVENT_TYPE = "mcp_alert_rollup";

const SEVERITY_ORDER = ["high", "medium", "low", "info"];

/**
 * The hour's roll-up: the alerts past the channel's budget, each by its id and title as it is now
 * (the most severe first, as many as fit; `postedAlone`: those posted alone since they became
 * high), counted by rule and by person; updated in place as the hour goes on and as they grow.
 * Each alert is handled from the App Home, which lists these first, and is in `status:open` (with
 * `org:` when several organizations share the channel).
 */
export function rollupMessage(
  alerts: readonly Alert[],
  o: {
    orgId: string;
    hour: number;
    maxPerHour: number;
    organization?: string;
    postedAlone?: ReadonlySet<number>;
  },
): SlackMessage {
  const sorted = [...alerts].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  const byRule = new Map<string, number>();
  for (const alert of sorted) {
    const rule = `${alert.severity} · ${alert.ruleId}`;
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  }
  const of = o.organization === undefined ? "" : ` of ${mrkdwn(o.organization, 200)}`;
  const n = alerts.length;
  // The budget is each organization's: with several, the channel takes each one's.
  const whose = o.organization === undefined ? "the channel's" : `${mrkdwn(o.organization, 200)}'s`;
  const text = `${counted(n, "more alert")}${of} this hour, past ${whose} ${o.maxPerHour} an hour`;
  const until = `<!date^${Math.floor((o.hour + HOUR) / 1000)}^{time}|${new Date(o.hour + HOUR).toISOString().slice(11, 16)} UTC>`;
  const rules = [...byRule].map(([key, count]) => `• ${mrkdwn(key, 120)}: ${count}`);
  const org = o.organization === undefined ? "" : ` org:${mrkdwn(o.orgId, 200)}`;
  const alone = (a: Alert) =>
    o.postedAlone?.has(a.id) ? " · posted alone once it became high" : "";
  const listed = sorted
    .map((a) => `• alert ${a.id} · ${a.severity} · ${mrkdwn(a.title, 200)}${alone(a)}`)
    .join("\n");
  return {
    text,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*${text}.* This message counts them until ${until}, each as it is now; high-severity alerts are always posted alone. The App Home is where they are handled: it lists open alerts with the alert buttons, the most severe first and, within a severity, these first (the oldest first), as many as fit, the next as those are handled (an organization it shows in one line, when many are watched, only counts them); \`/mcp-activity status:open${org}\` shows them while open.`,
        },
      },
      { type: "section", text: { type: "mrkdwn", text: fitLines(listed) } },
      {
        type: "section",
        fields: [countsField("*By rule*", rules, byRule.size), byPersonField(alerts, 10)],
      },
    ],
    metadata: {
      event_type: ROLLUP_EVENT_TYPE,
      event_payload: { org_id: o.orgId, hour: o.hour, count: n },
    },
  };
}
