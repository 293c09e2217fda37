/**
 * The bot scopes manifest.yml asks for, in its order, each with what stops working without it
 * (docs/deploy.md says what each is for). Without chat:write nothing is posted at all.
 */
export const MANIFEST_SCOPES: Readonly<Record<string, string>> = {
  "chat:write": "nothing is posted: alerts, digests, thread replies",
  commands: "/mcp-activity is not offered",
  "channels:read": "a public alert channel is not looked up at start",
  "groups:read":
    "a private alert channel is not looked up at start, nor its members (the responders without SLACK_RESPONDERS)",
  "usergroups:read": "responders given as a user group (S…) are refused",
  "channels:history":
    "a message to a public alert channel cut off while posted cannot be looked for before it is sent again",
  "groups:history":
    "a message to a private alert channel cut off while posted cannot be looked for before it is sent again",
  "users:read": "nobody may act as a responder, and /mcp-activity knows nobody's time zone",
  "users:read.email":
    'nobody is asked "did you do this?", me and @mentions find no Atlassian account, and buttons barred on oneself are refused',
  "im:write": "no direct messages: no questions, no CSV exports",
  "im:history":
    "a question cut off while sent cannot be looked for before it is sent again, so it waits",
  "files:write": "no CSV exports, and digests without their chart",
};

/** A scope manifest.yml asks for that the app was not granted, and what stops working. */
export interface MissingScope {
  readonly scope: string;
  readonly without: string;
}

/** The scopes of manifest.yml missing from those Slack says it granted, in the manifest's order. */
export function missingScopes(granted: readonly string[]): MissingScope[] {
  const has = new Set(granted);
  return Object.entries(MANIFEST_SCOPES)
    .filter(([scope]) => !has.has(scope))
    .map(([scope, without]) => ({ scope, without }));
}

/** What the operator is told of the missing scopes, and what to do. */
export function missingScopesLine(missing: readonly MissingScope[]): string {
  const each = missing.map((m) => `${m.scope} (${m.without})`).join("; ");
  return `the Slack app lacks scopes manifest.yml asks for: ${each}; add them to the Slack app and reinstall it`;
}

/** Why nothing can be posted, when chat:write is among the scopes missing; undefined otherwise. */
export function cannotPostLine(
  missing: readonly MissingScope[] | null | undefined,
): string | undefined {
  return missing?.some((m) => m.scope === "chat:write") ? missingScopesLine(missing) : undefined;
}
