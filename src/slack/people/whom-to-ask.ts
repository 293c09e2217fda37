import type { Alert } from "../../domain/alert.js";
import type { Reach, SlackDirectory, Unreachable } from "../directory.js";
import { mrkdwn } from "../escape.js";
import { classifySlackError, isLasting, withAdvice } from "../failure.js";
import { type AddressStores, addressNow } from "./address-now.js";

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

/** What finds the address an alert's person is asked at (see `addressNow`). */
export interface AskedDeps extends AddressStores {
  /** Every watched organization. */
  readonly orgIds: readonly string[];
}

export interface WhomDeps extends AskedDeps {
  readonly directory: Pick<SlackDirectory, "reach">;
}

/**
 * The e-mail address its person is asked at: that of the alert's account now (of its newest MCP
 * call when made after the alert's first), else the alert's; `taken` when another account took it
 * up after this account's last call (see `addressNow`); null when the alert gives none. A call read
 * late can carry an address the account gave up since, which may be someone else's in Slack now.
 */
export function addressAsked(
  alert: Alert,
  deps: AskedDeps,
  now: number,
): { readonly email: string; readonly taken: boolean } | null {
  if (alert.userEmail === null) return null;
  if (alert.userId === null) return { email: alert.userEmail, taken: false };
  const { firstSeen: first, lastSeen: last } = alert;
  const account = { accountId: alert.userId, email: alert.userEmail, first, last };
  return addressNow(deps, deps.orgIds, account, now);
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

/** Why the holder of an address another account took up is not asked, said of the address. */
const TAKEN =
  "is another Atlassian account's address now, one whose first call with it came after this account's last (a leaver's address given to someone new), so whoever has it in Slack is not asked about this account.";

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
  const asked = addressAsked(alert, deps, now);
  if (!alert.userEmail || !asked?.email)
    return { reason: "the audit log gives no e-mail address for this person." };
  const { email } = asked;
  if (asked.taken) return { reason: `${mrkdwn(email, 200)} ${TAKEN}` };
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
