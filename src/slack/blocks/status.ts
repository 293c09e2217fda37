/** The answer to `/mcp-activity status`: the poller's health, for one organization or each of several. */
import type { HistoryStop, StatusFigures } from "../../domain/status.js";
import { lagWords } from "../../words.js";
import { mrkdwn, slackDate } from "../escape.js";
import { LIMITS } from "./limits.js";
import { type Reply, section } from "./query.js";

/** Why the history is not being read, and what to fix (the warning below gives the details). */
const STOPPED: Record<HistoryStop, (stored: number) => string> = {
  apiKeyRejected: (stored) =>
    `the organization API key is refused (check ATLASSIAN_API_KEY); ${stored} events of it stored so far, and reading goes on from there once the key is accepted`,
  orgNotFound: (stored) =>
    `the organization is not found (the warning below says which setting to check); ${stored} events of it stored so far, and reading goes on from there once it is found`,
};

/** What the first poll's reading of the history has come to, when it is not over. */
function historyLine(b: NonNullable<StatusFigures["backfilling"]>): string {
  if (b.unread)
    return "The audit log has not been read yet: no page of it has come in (the warning below says why)";
  if (b.stopped !== null)
    return `The audit log's history is not being read: ${STOPPED[b.stopped](b.stored)}`;
  return `Reading the audit log's history (the first poll): ${b.stored} events stored so far; answers are not whole until it is read`;
}

function statusLines(s: Omit<StatusFigures, "organizations">): string[] {
  return [
    ...(s.backfilling ? [historyLine(s.backfilling)] : []),
    `Last successful poll: ${s.lastPoll ? slackDate(s.lastPoll) : "none yet"} · lag ${s.lagSeconds === null ? "—" : lagWords(s.lagSeconds)}`,
    `Last event: ${s.lastEvent ? slackDate(s.lastEvent) : "none yet"}`,
    `MCP action keys: ${s.mcpActionKeys.length > 0 ? s.mcpActionKeys.map((k) => `\`${mrkdwn(k, 80)}\``).join(", ") : "none found yet"}`,
    `Pending Slack deliveries: ${s.pendingDeliveries} · quarantined events: ${s.quarantined}`,
    ...s.problems.map((p) => `:warning: ${mrkdwn(p, 500)}`),
  ];
}

export function statusReply(s: StatusFigures): Reply {
  const head = `*mcp-activity status:* ${s.healthy ? "healthy" : "*unhealthy*"}`;
  const text = `mcp-activity is ${s.healthy ? "healthy" : "unhealthy"}`;
  if (s.organizations === undefined)
    return { text, blocks: [section([head, ...statusLines(s)].join("\n"))] };
  const blocks = s.organizations.map((o) =>
    section(
      [
        `*${mrkdwn(o.organization, 200)}:* ${o.healthy ? "healthy" : "*unhealthy*"}`,
        ...statusLines(o),
      ].join("\n"),
    ),
  );
  const count = `${s.organizations.length} organizations watched`;
  const common = s.problems.map((p) => `:warning: ${mrkdwn(p, 500)}`);
  return {
    text,
    blocks: [section([`${head} · ${count}`, ...common].join("\n")), ...blocks].slice(
      0,
      LIMITS.blocks,
    ),
  };
}
