import type { Alert } from "../../domain/alert.js";
import type { EventStore } from "../../store/events.js";
import type { SlackDirectory } from "../directory.js";
import { classifySlackError, type SlackFailure } from "../failure.js";

/** What tells whether an alert is about the one who clicked. */
export interface AboutDeps {
  /** Atlassian e-mail ⇄ Slack user: whether an alert is about the one who clicked. */
  readonly directory: Pick<SlackDirectory, "userIdOf" | "emailOf">;
  /** The Atlassian accounts that have this e-mail in the stored events of any watched organization. */
  readonly accountsOf: (email: string) => readonly string[];
  /** The stored events: who made an alert's calls (its first and last event's actors). */
  readonly events: Pick<EventStore, "bySeq">;
}

/**
 * Whether an alert is about this Slack user: the alert's e-mail is their Slack account's, or
 * their Slack e-mail is that of the alert's Atlassian account in the stored events of any watched
 * organization (an alert with no e-mail of its own, a person Slack does not find by it), or of the
 * account that made its calls for the person it is about (an API token's owner acting on
 * someone's behalf).
 * A failure: Slack did not tell.
 */
export async function isAbout(
  deps: AboutDeps,
  alert: Alert,
  user: string,
): Promise<boolean | SlackFailure> {
  try {
    if (alert.userEmail && (await deps.directory.userIdOf(alert.userEmail)) === user) return true;
    const email = await deps.directory.emailOf(user);
    if (email === null) return false;
    const mine = deps.accountsOf(email);
    if (alert.userId && mine.includes(alert.userId)) return true;
    return [alert.firstEventSeq, alert.lastEventSeq]
      .map((seq) => deps.events.bySeq(seq))
      .some(
        (event) =>
          event !== undefined &&
          (event.actorEmail === email || (event.actorId !== null && mine.includes(event.actorId))),
      );
  } catch (error) {
    return classifySlackError(error);
  }
}
