import { codeProblem } from "../../store/errors.js";
import type { SlackFailure } from "../failure.js";
import type { PosterHealth } from "./trouble.js";

/** Messages waiting this long while delivery keeps failing: Slack is out of reach, not busy. */
export const STALLED_MS = 10 * 60_000;

/**
 * What the operator must fix about delivery, or null: a setup problem at once (its advice); any
 * other failure but the database's (posterWorker says it) once the oldest waiting message has
 * waited STALLED_MS (a DNS name, a firewall or a proxy on the way: retrying will not mend it).
 */
export function deliveryProblem(
  lastError: PosterHealth["lastError"],
  oldestPendingAt: number | null,
  now: number,
): string | null {
  if (lastError === null) return null;
  if (lastError.advice !== null) return lastError.advice;
  const waited = oldestPendingAt === null ? 0 : now - oldestPendingAt;
  if (codeProblem(lastError.code) || waited < STALLED_MS) return null;
  return `Slack messages have waited ${Math.floor(waited / 60_000)} minutes and delivery keeps failing (${lastError.code}): ${stalledAdvice(lastError.code)}; messages stay queued`;
}

/** Slack's codes for a rate limit (a 429 is said as `ratelimited`). */
const RATE_LIMITED = new Set(["ratelimited", "rate_limited"]);
/** An answer, from Slack or a proxy on the way, that is an error on that side. */
const ANSWERED_ERROR =
  /^(HTTP 5\d\d|service_unavailable|request_timeout|internal_error|fatal_error)$/;

/**
 * What to look at when delivery keeps failing, by what the last failure was: an answer that
 * asks to wait or is an error is not the network's fault, and sending the operator to the
 * firewall then wastes the incident.
 */
export function stalledAdvice(code: string): string {
  if (RATE_LIMITED.has(code))
    return "Slack is rate-limiting the bot's calls and they are posted as it allows (another app or script using SLACK_BOT_TOKEN takes from the same limits)";
  if (ANSWERED_ERROR.test(code))
    return "Slack, or a proxy on the way, answers with errors: see status.slack.com, and the proxy's log if one is set";
  return "check that this machine reaches Slack (SLACK_API_URL, a proxy, the firewall)";
}

/**
 * A failed call for the operator's log, out of delivery (the responders' look-up): `(code)`, and
 * what to do about it when that is known (a setup problem's advice, or where to look when the call
 * met no answer, errors or a rate limit).
 */
export function failureAdvice(failure: SlackFailure): string {
  const transient = failure.kind === "transient" || failure.kind === "rate-limited";
  const advice = failure.advice ?? (transient ? stalledAdvice(failure.code) : undefined);
  return advice === undefined ? `(${failure.code})` : `(${failure.code}): ${advice}`;
}
