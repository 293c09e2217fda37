export { DAY } from "../../src/time-units.js";

import type { DigestData } from "../../src/domain/digest.js";
import { DAY } from "../../src/time-units.js";

export const T = Date.UTC(2026, 10, 25, 9, 0, 0);

/** A busy day's figures, changed by `overrides`. */
export function digestData(overrides: Partial<DigestData> = {}): DigestData {
  const firstTimers = overrides.firstTimers ?? [
    { name: "Çarol Ñúñez", email: null, id: "acc-carol", tool: "searchConfluence", app: "Cursor" },
  ];
  const appAuthorizations = overrides.appAuthorizations ?? [
    { title: "Bob authorized Atlassian MCP on acme.atlassian.net" },
  ];
  const settingsChanges = overrides.settingsChanges ?? [
    { title: "Data security policy updated by Çarol" },
  ];
  const openAlerts = overrides.openAlerts ?? [
    {
      id: 12,
      title: "deleteJiraIssue by Alice",
      severity: "high",
      createdAt: T - 2 * 3_600_000,
      link: "https://slack.com/archives/C1/p1700000000000100",
    },
  ];
  return {
    orgId: "org-1",
    since: T - DAY,
    until: T,
    current: { calls: 120, people: 6, tools: 9, sites: 2 },
    previous: { calls: 100, people: 8, tools: 9, sites: 2 },
    previousSince: T - 2 * DAY,
    byClass: { read: 80, search: 25, write: 14, destructive: 1 },
    bucketMs: 3_600_000,
    buckets: Array.from({ length: 24 }, (_, i) => ({
      start: T - DAY + i * 3_600_000,
      read: i,
      search: 0,
      write: i % 2,
      destructive: 0,
      admin: 0,
      other: 0,
    })),
    topPeople: [
      { key: "Alice", count: 50 },
      { key: "Bob <!here>", count: 20 },
    ],
    topTools: [{ key: "getJiraIssue", count: 60 }],
    firstTimers,
    firstTimerCount: firstTimers.length,
    arrivedLate: null,
    apiToken: {
      calls: 7,
      accounts: [{ name: "svc-reporting", email: "svc-reporting@example.com" }],
    },
    appAuthorizations,
    appAuthorizationCount: appAuthorizations.length,
    settingsChanges,
    settingsChangeCount: settingsChanges.length,
    alerts: [
      { ruleId: "mcp-destructive", raised: 1, open: 1, digestOnly: 0, quieted: 0 },
      { ruleId: "mcp-write", raised: 5, open: 0, digestOnly: 3, quieted: 2 },
    ],
    openAlerts,
    openAlertCount: openAlerts.length,
    health: { lagSeconds: 240, quarantined: 2, keyRejected: false, lastError: null },
    ...overrides,
  };
}
