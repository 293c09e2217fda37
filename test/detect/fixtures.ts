import type { RuleContext } from "../../src/detect/types.js";
import type { Alert } from "../../src/domain/alert.js";
import {
  NO_PLACE,
  type NormalizedEvent,
  type Place,
  type StoredEvent,
} from "../../src/domain/event.js";

export const T0 = Date.UTC(2026, 10, 4, 10, 0, 0); // a Wednesday, 10:00 UTC

/**
 * Audit-log JSON that reads back as `e`'s fields: the store keeps the actor, auth, city and
 * message in the raw JSON only.
 */
function rawOf(e: Omit<StoredEvent, "raw">): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const person = (id: string | null, name: string | null, email: string | null) =>
    id === null && name === null && email === null
      ? undefined
      : { id: id ?? undefined, name: name ?? undefined, email: email ?? undefined };
  return JSON.stringify({
    id: e.id,
    type: "events",
    attributes: {
      time: iso(e.time),
      processedAt: e.processedAt === null ? undefined : iso(e.processedAt),
      action: e.action,
      actor: {
        ...person(e.actorId, e.actorName, e.actorEmail),
        auth:
          e.authType === null
            ? undefined
            : { authType: e.authType, tokenLabel: e.tokenLabel ?? undefined },
        onBehalfOf: person(e.onBehalfOfId, e.onBehalfOfName, e.onBehalfOfEmail),
        app:
          e.clientApp === null
            ? undefined
            : { type: "oauth-app", attributes: { name: e.clientApp } },
      },
      context: contextOf(e),
      container:
        e.siteHost === null
          ? []
          : [{ type: "sites", attributes: { siteHostName: `https://${e.siteHost}` } }],
      location: {
        ip: e.ip ?? undefined,
        countryName: e.country ?? undefined,
        city: e.city ?? undefined,
      },
    },
    message: e.message === null ? undefined : { content: e.message, format: "simple" },
  });
}

/** The context items: the place's pages and issues (else the resource as an issue key), a wrapper's tool. */
function contextOf(e: Omit<StoredEvent, "raw">): unknown[] {
  const { spaces, pages, projects, issues } = e.place;
  const items: unknown[] = [];
  for (let i = 0; i < Math.max(pages.length, spaces.length); i++)
    items.push({
      type: "confluence-page",
      attributes: { pageId: pages[i], spaceKey: spaces[i], title: e.resource ?? undefined },
    });
  for (let i = 0; i < Math.max(issues.length, projects.length); i++)
    items.push({
      type: "jira-issue",
      attributes: { issueKey: issues[i], projectKey: projects[i] },
    });
  if (items.length === 0 && e.resource !== null)
    items.push({ type: "jira-issue", attributes: { issueKey: e.resource } });
  // The operation a wrapper ran is read back from its tool item (the tool itself is a column).
  if (e.innerTool !== null)
    items.push({ type: "mcp-tool", attributes: { name: e.tool, operation: e.innerTool } });
  return items;
}

/** The place an issue-key resource names, as the store reads it back. */
function placeOfResource(resource: string | null): Place {
  const project = resource === null ? undefined : /^([A-Z][A-Z0-9_]*)-\d+$/.exec(resource)?.[1];
  return project && resource ? { ...NO_PLACE, projects: [project], issues: [resource] } : NO_PLACE;
}

/** The action catalogue's entry of an MCP tool call, as /event-actions names it. */
export const MCP_TOOL_CALLED = {
  action: "rovo_mcp_tool_called",
  displayName: "Tool called",
  groupName: "Rovo MCP User Actions",
};

/** A stored MCP tool call by Alice, changed by `overrides`. */
export function mcpEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  const event: Omit<StoredEvent, "raw"> & { raw?: string } = {
    seq: 100,
    orgId: "org-1",
    id: "ev-100",
    time: T0,
    processedAt: T0 + 5_000,
    action: "rovo_mcp_tool_called",
    actorId: "acc-alice",
    actorName: "Alice Example",
    actorEmail: "alice@example.com",
    authKind: "oauth",
    authType: "auth-token-for-3LO",
    tokenLabel: null,
    onBehalfOfId: null,
    onBehalfOfName: null,
    onBehalfOfEmail: null,
    userId: "acc-alice",
    userName: "Alice Example",
    userEmail: "alice@example.com",
    ip: "203.0.113.10",
    country: "Germany",
    city: "Berlin",
    siteHost: "acme.atlassian.net",
    product: "jira",
    isMcp: true,
    mcpBasis: "catalog",
    clientApp: "Claude",
    tool: "getJiraIssue",
    toolClass: "read",
    innerTool: null,
    toolGuessed: false,
    resource: "OPS-1",
    place: placeOfResource(overrides.resource === undefined ? "OPS-1" : overrides.resource),
    message: null,
    backfilled: false,
    ingestedAt: T0 + 6_000,
    ...overrides,
  };
  return { ...event, raw: overrides.raw ?? rawOf(event) };
}

/** The same call before it is stored, as the poller hands it to the store: no `seq`, no `ingestedAt`. */
export function normalizedEvent(overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
  const { seq: _seq, ingestedAt: _ingestedAt, ...event } = mcpEvent(overrides);
  return event;
}

export const context: RuleContext = {
  watch: [],
  posture: {},
  workingHours: {
    timezone: "UTC",
    days: ["mon", "tue", "wed", "thu", "fri"],
    start: "09:00",
    end: "18:00",
  },
};

/** An open, high-severity alert about Alice, changed by `overrides`. */
export function anAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 7,
    orgId: "org-1",
    ruleId: "mcp-destructive",
    severity: "high",
    status: "open",
    groupKey: "mcp-destructive|acc-alice",
    title: "deleteJiraIssue by Alice Example",
    detail: {},
    userId: "acc-alice",
    userName: "Alice Example",
    userEmail: "alice@example.com",
    authKind: "oauth",
    firstEventSeq: 1,
    lastEventSeq: 1,
    firstSeen: T0,
    lastSeen: T0,
    eventCount: 1,
    tools: ["deleteJiraIssue"],
    late: false,
    suppressedBy: null,
    notify: true,
    revision: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}
