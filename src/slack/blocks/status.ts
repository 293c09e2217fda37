/**
 * The answer to `/mcp-activity status`: the poller's health, for one organization or each of
 * several, the unhealthy first.
 */
import type * as types from "@slack/types";
import type { HistoryStop, OrganizationStatus, StatusFigures } from "../../domain/status.js";
import { counted, lagWords } from "../../words.js";
import { mrkdwn, slackDate } from "../escape.js";
import { LIMITS } from "./limits.js";
import { type Reply, section } from "./query.js";
import { verbatim } from "./verbatim.js";

type Block = types.KnownBlock;

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

/** Characters a block takes in the message as sent (verbatim text objects), its comma included. */
const sentSize = (block: Block): number => JSON.stringify(verbatim(block)).length + 1;

/** Characters the closing line (how many more, the healthy ones named) takes as sent at most. */
const CLOSING_ROOM = 1_700;

/**
 * The line on the organizations a reply has no room for, all healthy: by name, as many as fit
 * with its words in `room` characters as sent (escaped, verbatim).
 */
function healthyLeftOut(left: readonly OrganizationStatus[], room: number): Block {
  const line = (names: readonly string[]) => {
    const rest = left.length - names.length;
    return section(
      `…and ${counted(left.length, "more organization")}, all healthy: ${names.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}.`,
    );
  };
  const names: string[] = [];
  for (const o of left) {
    names.push(mrkdwn(o.organization, 100));
    if (sentSize(line(names)) > room) {
      names.pop();
      break;
    }
  }
  return line(names);
}

/**
 * The organizations' sections, the unhealthy first, as many as fit in a message's blocks and
 * characters beside `head` and the closing line; past them, how many more, named when all
 * healthy.
 */
function organizationBlocks(head: Block, organizations: readonly OrganizationStatus[]): Block[] {
  const ordered = [
    ...organizations.filter((o) => !o.healthy),
    ...organizations.filter((o) => o.healthy),
  ];
  const blocks: Block[] = [head];
  // The list's brackets, less the last block's comma; then the blocks as sent.
  let used = 1 + sentSize(head);
  let shown = 0;
  for (const o of ordered) {
    const block = section(
      [
        `*${mrkdwn(o.organization, 200)}:* ${o.healthy ? "healthy" : "*unhealthy*"}`,
        ...statusLines(o),
      ].join("\n"),
    );
    const size = sentSize(block);
    if (blocks.length === LIMITS.blocks - 1 || used + size + CLOSING_ROOM > LIMITS.messageBlocks)
      break;
    blocks.push(block);
    used += size;
    shown += 1;
  }
  const left = ordered.slice(shown);
  if (left.length === 0) return blocks;
  const unhealthy = left.filter((o) => !o.healthy).length;
  return [
    ...blocks,
    unhealthy === 0
      ? healthyLeftOut(left, Math.min(CLOSING_ROOM, LIMITS.messageBlocks - used))
      : section(
          `…and ${counted(left.length, "more organization")}, ${unhealthy} of them unhealthy: \`GET /healthz\` gives each one's health.`,
        ),
  ];
}

export function statusReply(s: StatusFigures): Reply {
  const head = `*mcp-activity status:* ${s.healthy ? "healthy" : "*unhealthy*"}`;
  const text = `mcp-activity is ${s.healthy ? "healthy" : "unhealthy"}`;
  if (s.organizations === undefined)
    return { text, blocks: [section([head, ...statusLines(s)].join("\n"))] };
  const count = `${s.organizations.length} organizations watched`;
  const common = s.problems.map((p) => `:warning: ${mrkdwn(p, 500)}`);
  return {
    text,
    blocks: organizationBlocks(
      section([`${head} · ${count}`, ...common].join("\n")),
      s.organizations,
    ),
  };
}
