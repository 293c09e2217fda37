import type { OutboxItem } from "../../domain/outbox.js";
import { capWait } from "../../wait.js";
import { counted } from "../../words.js";
import type { SlackFailure } from "../failure.js";

/** What to do with an item whose attempt failed. */
export type NextStep =
  /** Never to be sent: Slack refused it for good, or it gave up at its deadline. */
  | { readonly kind: "fail"; readonly reason: string; readonly refused: boolean }
  /** The operator must fix something: the method is paused for a minute, the item kept. */
  | { readonly kind: "setup"; readonly uncertain: boolean }
  /**
   * Tried again at `at`. `uncertain` (here and for setup): the message may be in Slack, look
   * first. `free`: nothing was sent, the attempt does not count. `hold`: the whole destination
   * backs off.
   */
  | {
      readonly kind: "retry";
      readonly at: number;
      readonly uncertain: boolean;
      readonly free: boolean;
      readonly hold: boolean;
    };

/**
 * An attempt that got no answer (a timeout, a cut connection) is looked up no sooner than this
 * after it: a request Slack was still working on when this end gave up has landed by
 * then, where a look-up a second later would miss it and send the message twice.
 */
export const LOOK_UP_AFTER_MS = 30_000;

/** Backoff after the n-th failed attempt: 1 s, doubling, at most the longest wait. */
export const backoffMs = (attempts: number): number =>
  capWait(1000 * 2 ** Math.min(20, Math.max(0, attempts - 1))).ms;

/** Why an item is given up at its deadline: the attempts made, and what failed last. */
const gaveUp = (attempts: number, code: string | null): string =>
  `gave up at its deadline${attempts > 0 ? ` after ${counted(attempts, "attempt")}` : ""}${code === null ? "" : `: ${code}`}`;

/**
 * Why a claimed item is not sent any more: its deadline passed while something held it back (a
 * setup problem, whose failures are not counted as attempts, or the bot being down); undefined
 * while it has time. Asked only of an item Slack is known not to have (never tried, or looked up
 * and found missing): one that may be there is looked up first. A view is published however late
 * (its deadline ends only retries of a failing call): it shows the Home with the answer to a
 * click, an Undo in it, and a newer one replaces it.
 */
export function pastDeadline(
  item: Pick<OutboxItem, "attempts" | "deadline" | "lastError" | "method">,
  now: number,
): string | undefined {
  if (item.method === "views.publish") return undefined;
  if (item.deadline === null || now < item.deadline) return undefined;
  // The claim counted the attempt about to be made.
  return gaveUp(item.attempts - 1, item.lastError);
}

/**
 * Decides what a failed attempt means for its item. `pausedUntil`: when the method that failed
 * may be called again (a 429 paused it); `step`: whether the failure met the look-up or the send.
 */
export function nextStep(
  failure: SlackFailure,
  item: Pick<OutboxItem, "attempts" | "deadline" | "method">,
  o: { now: number; step: "look-up" | "send"; pausedUntil: number | undefined },
): NextStep {
  // A look-up that failed leaves open whether an earlier attempt reached Slack. Past a look-up
  // that found nothing, only this attempt counts: one Slack refused, or that a pause held back,
  // put nothing there, so the message may move to another channel or wait with the others.
  const unsettled = o.step === "look-up";
  if (failure.kind === "rejected") return { kind: "fail", reason: failure.code, refused: true };
  if (failure.kind === "setup") return { kind: "setup", uncertain: unsettled };
  if (item.deadline !== null && o.now >= item.deadline)
    return {
      kind: "fail",
      reason: gaveUp(item.attempts, failure.code),
      refused: false,
    };
  if (failure.kind === "transient") {
    // An update or a view published twice shows the same: nothing to look up.
    const mayHaveGone =
      failure.maybeSent &&
      o.step === "send" &&
      item.method !== "chat.update" &&
      item.method !== "views.publish";
    const wait = backoffMs(item.attempts);
    return {
      kind: "retry",
      at: o.now + (mayHaveGone && failure.unanswered ? Math.max(wait, LOOK_UP_AFTER_MS) : wait),
      uncertain: unsettled || mayHaveGone,
      free: false,
      hold: true,
    };
  }
  // Rate-limited, or held by a pause already: wait for the pause's end.
  return {
    kind: "retry",
    at: o.pausedUntil ?? o.now + 1_000,
    uncertain: unsettled,
    free: failure.kind === "paused",
    hold: false,
  };
}
