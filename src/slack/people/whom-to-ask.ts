import type { Alert } from "../../domain/alert.js";
import type { FollowUpStore } from "../../store/followups.js";
import type { SlackDirectory } from "../directory.js";
import { mrkdwn } from "../escape.js";

/** The Slack user to ask; `readdressed`: found by an address the account took since the call. */
export interface AskWhom {
  readonly user: string;
  readonly readdressed: boolean;
}

export interface WhomDeps {
  readonly followUps: Pick<FollowUpStore, "addressNow">;
  readonly directory: Pick<SlackDirectory, "userIdOf">;
}

/**
 * The e-mail address of the alert's account now: that of its newest MCP call when made after the
 * alert's first, else the alert's. A call read late can carry an address the account gave up
 * since, which may be someone else's in Slack now.
 */
function addressNow(alert: Alert, email: string, followUps: WhomDeps["followUps"], now: number) {
  if (alert.userId === null) return email;
  const newest = followUps.addressNow(alert.orgId, alert.userId, now);
  return newest && newest.time > alert.firstSeen ? newest.email : email;
}

/** Whom to ask "did you do this?" about an alert, or why nobody (said in its thread). */
export async function whomToAsk(
  alert: Alert,
  deps: WhomDeps,
  now: number,
): Promise<AskWhom | string> {
  if (alert.authKind === "api-token")
    return "API-token calls do not say who the end user is, so there is nobody to ask.";
  if (!alert.userEmail) return "the audit log gives no e-mail address for this person.";
  const email = addressNow(alert, alert.userEmail, deps.followUps, now);
  const readdressed = email.toLowerCase() !== alert.userEmail.toLowerCase();
  const user = await deps.directory.userIdOf(email);
  if (user) return { user, readdressed };
  return readdressed
    ? `the account's e-mail address changed since this call, and ${mrkdwn(email, 200)}, the address it has now, was not found in this Slack workspace.`
    : `${mrkdwn(email, 200)} was not found in this Slack workspace.`;
}
