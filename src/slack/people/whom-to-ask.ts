import type { Alert } from "../../domain/alert.js";
import type { FollowUpStore } from "../../store/followups.js";
import type { Reach, SlackDirectory, Unreachable } from "../directory.js";
import { mrkdwn } from "../escape.js";
import { classifySlackError, isLasting, withAdvice } from "../failure.js";

/** The Slack user to ask; `readdressed`: found by an address the account took since the call. */
export interface AskWhom {
  readonly user: string;
  readonly readdressed: boolean;
}

/**
 * Why nobody is asked, said in the alert's thread; `refused`: Slack refused the look-up for good,
 * its failure and the fix in words without the address (for the log).
 */
export interface NotAsked {
  readonly reason: string;
  readonly refused?: string;
}

export interface WhomDeps {
  readonly followUps: Pick<FollowUpStore, "addressNow">;
  readonly directory: Pick<SlackDirectory, "reach">;
}

/**
 * The e-mail address its person is asked at: that of the alert's account now (of its newest MCP
 * call when made after the alert's first), else the alert's; null when it gives none. A call read
 * late can carry an address the account gave up since, which may be someone else's in Slack now.
 */
export function addressAsked(
  alert: Alert,
  followUps: WhomDeps["followUps"],
  now: number,
): string | null {
  if (alert.userEmail === null || alert.userId === null) return alert.userEmail;
  const newest = followUps.addressNow(alert.orgId, alert.userId, now);
  return newest && newest.time > alert.firstSeen ? newest.email : alert.userEmail;
}

/**
 * Why the address's Slack account is not asked, said of the address. It goes to the alert's
 * thread, before responders: another workspace's account is named as such and no more.
 */
const NOT_ASKED: Record<Unreachable, string> = {
  absent: "was not found in this Slack workspace",
  // Someone who left, most often: an AI tool acting as them is itself the signal.
  deactivated:
    "belongs to a deactivated Slack account, yet an AI tool still acts as their Atlassian account",
  bot: "belongs to a Slack bot, not a person",
  "another-workspace":
    "belongs to a Slack account of another workspace (a member of a shared channel), whose address that workspace sets, so it does not say who this is",
  unconfirmed:
    "belongs to a Slack account whose address Slack says is unconfirmed, so it does not say who this is",
};

/**
 * The address's Slack account, or why it cannot be known: Slack refused the look-up for good (a
 * scope the app lacks), said with the fix. A look-up failing for a while (an outage) throws.
 */
async function reachOf(email: string, deps: WhomDeps): Promise<Reach | NotAsked> {
  try {
    return await deps.directory.reach(email);
  } catch (error) {
    const failure = classifySlackError(error);
    if (!isLasting(failure)) throw error;
    return {
      reason: `${mrkdwn(email, 200)} could not be looked up in Slack (${withAdvice(failure)}).`,
      refused: withAdvice(failure),
    };
  }
}

/**
 * Whom to ask "did you do this?" about an alert, or why nobody (said in its thread). Throws while
 * Slack cannot look the person up for a passing reason: they are asked once it can.
 */
export async function whomToAsk(
  alert: Alert,
  deps: WhomDeps,
  now: number,
): Promise<AskWhom | NotAsked> {
  if (alert.authKind === "api-token")
    return { reason: "API-token calls do not say who the end user is, so there is nobody to ask." };
  const email = addressAsked(alert, deps.followUps, now);
  if (!alert.userEmail || !email)
    return { reason: "the audit log gives no e-mail address for this person." };
  const readdressed = email.toLowerCase() !== alert.userEmail.toLowerCase();
  const reach = await reachOf(email, deps);
  if ("reason" in reach) return reach;
  if ("user" in reach) return { user: reach.user, readdressed };
  const why = NOT_ASKED[reach.not];
  return {
    reason: readdressed
      ? `the account's e-mail address changed since this call, and ${mrkdwn(email, 200)}, the address it has now, ${why}.`
      : `${mrkdwn(email, 200)} ${why}.`,
  };
}
