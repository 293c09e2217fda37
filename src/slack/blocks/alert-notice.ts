import type { Alert } from "../../domain/alert.js";
import type { StoredEvent } from "../../domain/event.js";
import { mrkdwn } from "../escape.js";
import { LIMITS } from "./limits.js";

/**
 * What a phone's notification adds to the title, which is all it shows: the account's e-mail, the
 * API-token caveat, the AI tool and the site (" — alice@example.com via Claude on acme.atlassian.net").
 */
function lockScreen(alert: Alert, event: StoredEvent | undefined): string {
  const parts = [
    alert.userEmail,
    // As the blocks say: the account is the token's, not the person at the AI tool.
    alert.authKind === "api-token" && alert.ruleId !== "mcp-api-token"
      ? "· API token, end user unknown"
      : null,
    event?.clientApp ? `via ${event.clientApp}` : null,
    event?.siteHost ? `on ${event.siteHost.replace(/^https?:\/\//, "")}` : null,
  ].filter(Boolean);
  return parts.length === 0 ? "" : ` — ${parts.join(" ")}`;
}

/**
 * An alert's notification text: "[HIGH] alert 57: deleteJiraIssue by Alice — …". The number comes
 * before the title, so a cut never drops it: it tells apart two alerts of one rule about one
 * person, and it is how every other message (roll-up, digest, App Home, threads) names the alert.
 */
export function alertNotice(
  alert: Alert,
  event?: StoredEvent,
  organization?: string | undefined,
): string {
  const inOrg = organization === undefined ? "" : ` · ${organization}`;
  return mrkdwn(
    `[${alert.severity.toUpperCase()}] alert ${alert.id}: ${alert.title}${lockScreen(alert, event)}${inOrg}`,
    LIMITS.text,
  );
}
