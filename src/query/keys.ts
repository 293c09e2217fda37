import type { AlertStatus } from "../domain/alert.js";
import type { ToolClass } from "../domain/event.js";
/** The query language's keys, accepted values, limits and the examples errors give. */

export type QueryAuth = "oauth" | "api-token";

export const QUERY_KEYS = [
  "user",
  "tool",
  "class",
  "product",
  "site",
  "action",
  "ip",
  "country",
  "auth",
  "rule",
  "status",
  "since",
  "until",
  "limit",
  "format",
  "org",
] as const;
export type QueryKey = (typeof QUERY_KEYS)[number];

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;
export const DEFAULT_SINCE = "7d";
export const MAX_WINDOW_DAYS = 400;
/** At most this many terms, values of one key (`user:a,b,…`), and characters per value or word. */
export const MAX_TERMS = 100;
export const MAX_VALUES = 20;
export const MAX_VALUE_LENGTH = 200;

export const HELP_EXAMPLES: readonly string[] = [
  "user:me since:7d",
  "user:alice@example.com class:write since:24h",
  "tool:createJiraIssue site:acme.atlassian.net since:30d",
  "class:destructive,write auth:api-token",
  "status:open rule:mcp-off-hours since:2w",
  '"release notes" product:confluence limit:50',
  "since:14d until:7d format:csv",
];

export type Examples = readonly [string, string];

/** A sample value and two example queries per key, for messages. */
export const KEY_INFO: Record<QueryKey, { readonly sample: string; readonly examples: Examples }> =
  {
    user: {
      sample: "alice@example.com",
      examples: ["user:alice@example.com since:7d", 'user:"Carol Nunez" class:write'],
    },
    tool: {
      sample: "createJiraIssue",
      examples: ["tool:createJiraIssue since:24h", "tool:getJiraIssue,searchJiraIssuesUsingJql"],
    },
    class: {
      sample: "write",
      examples: ["class:write since:7d", "class:write,destructive user:alice@example.com"],
    },
    product: {
      sample: "jira",
      examples: ["product:jira since:7d", "product:confluence class:write"],
    },
    site: {
      sample: "acme.atlassian.net",
      examples: ["site:acme.atlassian.net since:7d", "site:acme class:write"],
    },
    action: {
      sample: "rovo_mcp_tool_called",
      examples: ["action:rovo_mcp_tool_called since:24h", "action:oauth_app_authorized since:30d"],
    },
    ip: {
      sample: "203.0.113.7",
      examples: ["ip:203.0.113.7 since:7d", "ip:203.0.113.7,198.51.100.2"],
    },
    country: {
      sample: "Germany",
      examples: ['country:"United States" since:7d', "country:Germany class:write"],
    },
    auth: { sample: "api-token", examples: ["auth:api-token since:7d", "auth:oauth class:write"] },
    rule: {
      sample: "mcp-off-hours",
      examples: ["rule:mcp-off-hours since:30d", "rule:mcp-api-token status:open"],
    },
    status: {
      sample: "open",
      examples: ["status:open since:30d", "status:acknowledged rule:mcp-write"],
    },
    since: { sample: "7d", examples: ["since:24h", "since:2w class:write"] },
    until: { sample: "1d", examples: ["since:14d until:7d", "since:yesterday until:today"] },
    limit: { sample: "50", examples: ["limit:50 since:7d", "user:me limit:200"] },
    format: {
      sample: "csv",
      examples: ["format:csv since:30d", "user:alice@example.com format:csv"],
    },
    org: { sample: "acme", examples: ["org:acme since:7d", "org:acme status:open"] },
  };
export const GENERAL: Examples = ["user:alice@example.com since:7d", "class:write since:24h"];

/** Accepted spellings of enumerated values, by canonical value. */
export const CLASSES: Record<string, ToolClass> = {
  read: "read",
  search: "search",
  write: "write",
  destructive: "destructive",
  delete: "destructive",
  admin: "admin",
};
export const AUTHS: Record<string, QueryAuth> = {
  oauth: "oauth",
  "api-token": "api-token",
  apitoken: "api-token",
  api_token: "api-token",
  token: "api-token",
};
export const STATUSES: Record<string, AlertStatus> = {
  open: "open",
  acknowledged: "acknowledged",
  ack: "acknowledged",
  acked: "acknowledged",
  expected: "expected",
  true_positive: "true_positive",
  "true-positive": "true_positive",
  truepositive: "true_positive",
};
export const FORMATS: Record<string, "table" | "csv"> = { table: "table", csv: "csv" };
export const ENUM_MESSAGES = {
  class: "class must be read, search, write, destructive or admin",
  auth: "auth must be oauth or api-token",
  status: "status must be open, acknowledged, expected or true_positive",
  format: "format must be table or csv",
} as const;

/** Words people use for a key, for the suggestion when they use it as one. */
export const KEY_ALIASES: Record<string, QueryKey> = {
  email: "user",
  mail: "user",
  person: "user",
  people: "user",
  who: "user",
  account: "user",
  name: "user",
  from: "since",
  after: "since",
  start: "since",
  to: "until",
  before: "until",
  end: "until",
  type: "class",
  kind: "class",
  app: "product",
  host: "site",
  event: "action",
  location: "country",
  max: "limit",
  top: "limit",
  alert: "rule",
  state: "status",
  output: "format",
  organization: "org",
  organisation: "org",
  tenant: "org",
};

/** `record[key]` when it is the record's own entry (not `constructor` and the like). */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function isQueryKey(key: string): key is QueryKey {
  return (QUERY_KEYS as readonly string[]).includes(key);
}
