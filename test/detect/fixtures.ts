import type { RuleContext } from "../../src/detect/types.js";
import type { Alert } from "../../src/domain/alert.js";
import type { StoredEvent } from "../../src/domain/event.js";

export const T0 = Date.UTC(2026, 10, 4, 10, 0, 0); // a Wednesday, 10:00 UTC

/** A stored MCP tool call by Alice, changed by `overrides`. */
export function mcpEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
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
    resource: "OPS-1",
    message: null,
    backfilled: false,
    ingestedAt: T0 + 6_000,
    raw: "{}",
    ...overrides,
  };
}

export const context: RuleContext = {
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
