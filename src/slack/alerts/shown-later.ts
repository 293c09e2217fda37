import { mrkdwn } from "../escape.js";
import type { Outcome } from "../outbox/watch.js";

/**
 * What the one who clicked is told when the alert's message cannot show their click at once:
 * `recorded` (what the click changed), then when the message shows it, or that Slack would not
 * update it. Nothing once it is shown, or when a newer update shows it instead.
 */
export function shownLater(recorded: string, outcome: Outcome, now: number): string | undefined {
  if (outcome.kind === "failed") {
    // Only a refused update is shown in the thread instead (see alertHandlers); a post has none.
    const thread =
      outcome.of === "alert-update" ? ", and a reply in its thread shows it as it is now" : "";
    return `${recorded}, but Slack would not update its message (${mrkdwn(outcome.reason, 200)}): the message may still show the alert as it was${thread}.`;
  }
  if (outcome.kind !== "waits") return undefined;
  if (outcome.rateLimited) {
    const seconds = Math.max(1, Math.round((outcome.until - now) / 1000));
    return `${recorded}. Slack asked the app to wait before it updates messages, so the alert's message shows it in about ${seconds} s.`;
  }
  return `${recorded}. Slack did not take the update of the alert's message just now (${mrkdwn(outcome.code, 100)}): it is tried again, and the message shows it once Slack takes it.`;
}
