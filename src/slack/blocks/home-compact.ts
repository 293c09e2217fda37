import type * as types from "@slack/types";
import type { OrganizationHome } from "../../domain/home.js";
import { SEVERITIES } from "../../domain/severity.js";
import { counted } from "../../words.js";
import { mrkdwn } from "../escape.js";
import { section } from "./home-view.js";

type KnownBlock = types.KnownBlock;

/** Lines per section: each within ~350 characters, a section within its 3,000. */
const LINES_PER_SECTION = 8;

/** The blocks the one-line statuses of `organizations` take, their heading line included. */
export const compactRoom = (organizations: number): number =>
  organizations === 0 ? 0 : Math.ceil((organizations + 1) / LINES_PER_SECTION);

/** Whether an organization needs someone to look: its poller unhealthy, or its key refused. */
export const needsAttention = (o: OrganizationHome): boolean =>
  !o.health.healthy || o.apiKeyRejected;

export const openCount = (o: OrganizationHome): number =>
  SEVERITIES.reduce((n, s) => n + (o.openBySeverity[s] ?? 0), 0);

function line(o: OrganizationHome): string {
  const name = `*${mrkdwn(o.name ?? o.orgId, 100)}*`;
  const open = openCount(o);
  // Those with no message of their own are listed only where an organization is shown in full.
  const where =
    o.unposted === 0
      ? " in the alert channel"
      : `: ${o.unposted} with no message of their own, listed here once fewer organizations have such alerts`;
  const alerts = open === 0 ? "no open alerts" : `${counted(open, "open alert")}${where}`;
  const [problem, ...others] = o.health.problems;
  const more = others.length === 0 ? "" : ` (and ${counted(others.length, "more problem")})`;
  const health = o.health.healthy
    ? "healthy"
    : `needs attention: ${problem === undefined ? "unhealthy" : mrkdwn(problem, 150)}${more}`;
  const key = o.apiKeyRejected ? " · 🔴 API key refused" : "";
  return `${needsAttention(o) ? "⚠️" : "✅"} ${name} · ${alerts} · ${health}${key}`;
}

/**
 * The organizations past those the Home shows in full, one line each (its open alerts, its
 * health, a refused key), those needing attention first, in `room` blocks at most; past them, how
 * many more. Pure; every outside string escaped.
 */
export function compactBlocks(
  organizations: readonly OrganizationHome[],
  room: number,
): KnownBlock[] {
  if (organizations.length === 0 || room <= 0) return [];
  const ordered = [
    ...organizations.filter(needsAttention),
    ...organizations.filter((o) => !needsAttention(o)),
  ];
  // The heading takes a line, and a cut the line saying how many more.
  const fits = room * LINES_PER_SECTION - 1;
  const shown = ordered.length <= fits ? ordered : ordered.slice(0, fits - 1);
  const left = ordered.slice(shown.length);
  const unwell = left.filter(needsAttention).length;
  const lines = [
    `*${counted(organizations.length, "more organization")}, one line each*, those needing attention first (\`/mcp-activity status\` gives each one's health in full):`,
    ...shown.map(line),
    ...(left.length === 0
      ? []
      : [
          `…and ${counted(left.length, "more organization")}${unwell === 0 ? ", all healthy" : `, ${unwell} of them needing attention`}.`,
        ]),
  ];
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION)
    blocks.push(section(lines.slice(i, i + LINES_PER_SECTION).join("\n")));
  return blocks;
}
