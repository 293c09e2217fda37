import type * as types from "@slack/types";
import type { OrganizationGlance } from "../../domain/home.js";
import { SEVERITIES } from "../../domain/severity.js";
import { counted } from "../../words.js";
import { mrkdwn } from "../escape.js";
import { section } from "./home-view.js";
import { LIMITS } from "./limits.js";

type KnownBlock = types.KnownBlock;

/** Whether an organization needs someone to look: its poller unhealthy, or its key refused. */
export const needsAttention = (o: OrganizationGlance): boolean =>
  !o.health.healthy || o.apiKeyRejected;

export const openCount = (o: OrganizationGlance): number =>
  SEVERITIES.reduce((n, s) => n + (o.openBySeverity[s] ?? 0), 0);

function line(o: OrganizationGlance): string {
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

/** Lines in sections of whole lines, each section within Slack's 3,000 characters. */
function sections(lines: readonly string[]): string[][] {
  const packed: string[][] = [];
  let size = 0;
  for (const text of lines) {
    const last = packed.at(-1);
    if (last && size + 1 + text.length <= LIMITS.sectionText) {
      last.push(text);
      size += 1 + text.length;
    } else {
      packed.push([text]);
      size = text.length;
    }
  }
  return packed;
}

/**
 * The one-line statuses of `organizations`, those needing attention first, past the first `shown`
 * a line saying how many more, in sections.
 */
function compactSections(organizations: readonly OrganizationGlance[], shown: number): string[][] {
  const ordered = [
    ...organizations.filter(needsAttention),
    ...organizations.filter((o) => !needsAttention(o)),
  ];
  const left = ordered.slice(shown);
  const unwell = left.filter(needsAttention).length;
  return sections([
    `*${counted(organizations.length, "more organization")}, one line each*, those needing attention first (\`/mcp-activity status\` gives their health, the unhealthy first; \`GET /healthz\` each one's in full):`,
    ...ordered.slice(0, shown).map(line),
    ...(left.length === 0
      ? []
      : [
          `…and ${counted(left.length, "more organization")}${unwell === 0 ? ", all healthy" : `, ${unwell} of them needing attention`}.`,
        ]),
  ]);
}

/** The blocks the one-line statuses of `organizations` take, their heading line included. */
export const compactRoom = (organizations: readonly OrganizationGlance[]): number =>
  organizations.length === 0 ? 0 : compactSections(organizations, organizations.length).length;

/**
 * The organizations past those the Home shows in full, one line each (its open alerts, its
 * health, a refused key), those needing attention first, in `room` blocks at most; past them, how
 * many more. Pure; every outside string escaped.
 */
export function compactBlocks(
  organizations: readonly OrganizationGlance[],
  room: number,
): KnownBlock[] {
  if (organizations.length === 0 || room <= 0) return [];
  let shown = organizations.length;
  let packed = compactSections(organizations, shown);
  if (packed.length > room) {
    // The lines the room holds (the heading first), then fewer until the line counting the rest fits.
    shown = packed.slice(0, room).flat().length - 1;
    packed = compactSections(organizations, shown);
    while (shown > 0 && packed.length > room) packed = compactSections(organizations, --shown);
  }
  return packed.map((lines) => section(lines.join("\n")));
}
