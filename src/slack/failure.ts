import { ErrorCode } from "@slack/web-api";
import { ALERT_CHANNEL_SETUP, ONE_KIND, type PostKind, SETUP } from "./setup-codes.js";

/**
 * What a failed Web API call means for the message it carried:
 * - `rate-limited`: a 429 (or `ok:false` `ratelimited` or `rate_limited`): the method waits, the
 *   message is kept;
 * - `paused`: not sent at all, the method was paused already;
 * - `transient`: an outage, a timeout, a cut connection: tried again with backoff;
 * - `setup`: the operator must fix something (token, scope, channel): kept queued until fixed;
 * - `rejected`: Slack refuses this message for good (it would refuse it again): failed.
 */
export type SlackFailureKind = "rate-limited" | "paused" | "transient" | "setup" | "rejected";

export interface SlackFailure {
  readonly kind: SlackFailureKind;
  /** Slack's error code (`channel_not_found`) or a short description. */
  readonly code: string;
  /** For metrics, when `code` is a description: a word from a small set (`no_answer`, `ECONNRESET`). */
  readonly label?: string;
  readonly retryAfterMs?: number;
  /** For setup problems: what the operator should do. */
  readonly advice?: string;
  /** The call may have reached Slack (a timeout, a 5xx, a cut connection): look before resending. */
  readonly maybeSent: boolean;
  /** No answer came (a timeout, a cut connection): Slack may still be working on the call. */
  readonly unanswered?: boolean;
  /**
   * Nothing answered at all, not even a gateway (a refused or cut connection, a timeout, a DNS
   * name not found): this machine may not reach Slack.
   */
  readonly unreached?: boolean;
  /**
   * The problem is the destination channel's (the bot not in it, the channel missing, archived
   * or closed to the bot's posts): only a message getting through to it ends it.
   */
  readonly channelProblem?: boolean;
  /**
   * A channel's problem that refuses one kind of post only (a thread-only channel refuses
   * top-level posts, a channel without threads refuses replies): the other kind still gets
   * through, so only a post of this kind getting through ends it.
   */
  readonly refuses?: PostKind;
  /** The problem is the failed method's (a scope it needs): only that method answering ends it. */
  readonly methodProblem?: boolean;
  /** For missing_scope: the scope the method needs ("im:write", or a list), as the app is given it. */
  readonly scope?: string;
}

/**
 * Whether Slack said the call will fail again however long one waits: it refused it for good, or
 * the method lacks a scope (until the app is reinstalled with it). A rate limit, an outage, and a
 * token or a workspace the operator must fix (everything waits for those) pass.
 */
export function isLasting(failure: SlackFailure): boolean {
  return failure.kind === "rejected" || failure.methodProblem === true;
}

/** Thrown instead of calling a method the workspace has paused. */
export class SlackPausedError extends Error {
  readonly code = "slack_paused";

  constructor(
    readonly method: string,
    readonly until: number,
    readonly reason: string,
  ) {
    super(
      `Slack ${method} is paused until ${new Date(until).toISOString()} (${reason}): not called`,
    );
  }
}

/** The alert channel's own setup problem, as a post to it would meet it (seen by a look-up). */
export function alertChannelProblem(code: "not_in_channel" | "is_archived"): SlackFailure {
  const advice = ALERT_CHANNEL_SETUP[code];
  return { kind: "setup", code, advice, maybeSent: false, channelProblem: true };
}

/** The code of a 404, which the token check keeps as SLACK_API_URL's setup problem. */
export const API_URL_NOT_FOUND = "HTTP 404";

/**
 * How the token check's failure is kept: a 404 there is SLACK_API_URL's, a base that is not the
 * Web API's (the host alone, a proxy's root), where Slack answers every method it knows, auth.test
 * first: every call would fail so, and nothing would ever be posted.
 */
export function tokenCheckFailure(error: unknown, apiUrl: string): SlackFailure {
  const failure = classifySlackError(error);
  if (failure.code !== API_URL_NOT_FOUND) return failure;
  const advice = `SLACK_API_URL ${apiUrl} answers 404 for auth.test: it must be Slack's Web API base, https://slack.com/api/, or a proxy to it`;
  return { kind: "setup", code: failure.code, advice, maybeSent: false };
}

/** Slack's own failures: tried again. */
const TRANSIENT = new Set(["service_unavailable", "request_timeout"]);
/** Slack's own failures that "may have succeeded in part" (Slack's words): looked up first. */
const MAYBE_DONE = new Set(["internal_error", "fatal_error"]);
/** A system's error code: what a metric's label may carry of a failed request. */
const SYSTEM_CODE = /^(E[A-Z_]+|UND_ERR[A-Z_]*|ERR_TLS[A-Z_]*|CERT_[A-Z_]+)$/;

/** Slack's error codes; anything else in `error` is a body that was not Slack's JSON. */
const SLACK_CODE = /^[a-z0-9_]{1,80}$/;
/**
 * Slack's words for "slow down": a 429's `ratelimited`, and chat.postMessage's `rate_limited`
 * ("Application has posted too many messages"), which may come with HTTP 200.
 */
const RATE_LIMITED = new Set(["ratelimited", "rate_limited"]);
/**
 * A rate limit without Retry-After (a proxy's 429, an `ok:false` one): how long the method waits,
 * so that a limit answered again and again is not met again every second.
 */
export const DEFAULT_RATE_LIMIT_MS = 60_000;

/**
 * What a Web API failure means. `alertChannel`: the call was about the configured alert channel,
 * where a missing or archived channel is the operator's to fix, not the message's fault.
 */
export function classifySlackError(error: unknown, alertChannel = false): SlackFailure {
  if (error instanceof SlackPausedError)
    return {
      kind: "paused",
      code: error.reason,
      retryAfterMs: 0,
      maybeSent: false,
    };
  const coded = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string; needed?: unknown; response_metadata?: { retryAfter?: number } };
  };
  if (coded.code === ErrorCode.RateLimitedError)
    return {
      kind: "rate-limited",
      code: "ratelimited",
      retryAfterMs: (coded.retryAfter ?? 1) * 1000,
      maybeSent: false,
    };
  if (coded.code === ErrorCode.PlatformError) {
    const code = coded.data?.error ?? "";
    // The client puts a body it could not read as JSON (a proxy's page) in `error`.
    if (!SLACK_CODE.test(code))
      return {
        kind: "transient",
        code: "an answer that is not Slack's JSON",
        label: "not_slack_json",
        maybeSent: true,
      };
    const ofChannel = alertChannel ? ALERT_CHANNEL_SETUP[code] : undefined;
    if (ofChannel) {
      const advice = ofChannel;
      const refuses = ONE_KIND[code];
      return { kind: "setup", code, advice, maybeSent: false, channelProblem: true, refuses };
    }
    if (code === "missing_scope") return missingScope(coded.data?.needed);
    const advice = SETUP[code];
    if (advice) return { kind: "setup", code, advice, maybeSent: false };
    if (RATE_LIMITED.has(code)) {
      const seconds = coded.data?.response_metadata?.retryAfter;
      const retryAfterMs = seconds === undefined ? DEFAULT_RATE_LIMIT_MS : seconds * 1000;
      return { kind: "rate-limited", code, retryAfterMs, maybeSent: false };
    }
    if (TRANSIENT.has(code)) return { kind: "transient", code, maybeSent: false };
    if (MAYBE_DONE.has(code)) return { kind: "transient", code, maybeSent: true };
    return { kind: "rejected", code, maybeSent: false };
  }
  if (coded.code === ErrorCode.HTTPError) {
    const status = coded.statusCode;
    // A gateway's 502, 503 or 504: Slack itself has not answered and may still be at work.
    const gateway = status !== undefined && status >= 502 && status <= 504;
    return {
      kind: "transient",
      code: `HTTP ${status ?? "error"}`,
      label: `http_${status ?? "error"}`,
      maybeSent: true,
      ...(gateway ? { unanswered: true } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  // The client's words for a 429 without Retry-After; they carry the URL, never logged.
  if (message.startsWith("Retry header did not contain a valid timeout"))
    return {
      kind: "rate-limited",
      code: "ratelimited",
      retryAfterMs: DEFAULT_RATE_LIMIT_MS,
      maybeSent: false,
    };
  const cause = systemCause(error);
  const code = cause && !message.includes(cause) ? `${message} (${cause})` : message;
  return {
    kind: "transient",
    code: code.slice(0, 200),
    label: cause && SYSTEM_CODE.test(cause) ? cause : "no_answer",
    maybeSent: true,
    unanswered: true,
    unreached: true,
  };
}

/**
 * What the log says of a bug of this code (a TypeError, a ReferenceError…): what it is, and that
 * it is not Slack's nor the network's. Undefined for Slack's answers and the network's failures:
 * the Slack client's errors and the system's carry a code, and fetch's own TypeError ("fetch
 * failed") a cause that does.
 */
export function bugWords(error: unknown): string | undefined {
  const builtIn =
    error instanceof TypeError ||
    error instanceof ReferenceError ||
    error instanceof RangeError ||
    error instanceof SyntaxError;
  if (!builtIn || "code" in error || systemCause(error) !== undefined) return undefined;
  return `a bug in mcp-activity (${String(error).slice(0, 200)}), not a problem of Slack or the network: report it with this log line`;
}

/**
 * One scope of Slack's `needed`. To a bot token Slack names chat:write `chat:write:bot` (and
 * `chat:write:user` to a user token): the scope to add is the one before the suffix.
 */
const SCOPE = /^([a-z_]+:[a-z_.]+)(?::(?:bot|user))?$/;

/** Slack's `needed`, the scopes of which the method wants one ("im:write", or a list), as added. */
function neededScopes(needed: unknown): string | undefined {
  if (typeof needed !== "string") return undefined;
  const scopes = needed.split(",").map((part) => SCOPE.exec(part)?.[1]);
  if (!scopes.every((scope) => scope !== undefined)) return undefined;
  return [...new Set(scopes)].join(",");
}

/** A scope the failed method needs, named when Slack names it. */
function missingScope(needed: unknown): SlackFailure {
  const scope = neededScopes(needed);
  const advice = scope
    ? `the Slack app lacks a scope: add the ${scope.replaceAll(",", " or ")} scope to the Slack app and reinstall it`
    : SETUP.missing_scope;
  const failure = { kind: "setup", code: "missing_scope", advice, maybeSent: false } as const;
  return { ...failure, methodProblem: true, ...(scope ? { scope } : {}) };
}

/** A failure for the operator: Slack's code, and what to do when there is advice. */
export function withAdvice(failure: SlackFailure): string {
  return failure.advice ? `${failure.code}: ${failure.advice}` : failure.code;
}

/**
 * What a person is told of a scope the Slack app lacks (missing_scope) and who must add it; undefined
 * for any other failure.
 */
export function missingScopeWords(failure: SlackFailure): string | undefined {
  return failure.code === "missing_scope" ? lacksScope(failure.scope) : undefined;
}

/** What a person is told of a scope (or an unnamed one) the Slack app lacks. */
export function lacksScope(scope: string | undefined): string {
  const which = scope ? `the ${scope.replaceAll(",", " or ")} scope` : "a scope";
  return `the Slack app lacks ${which}; whoever manages the Slack app must add it and reinstall the app`;
}

/** The word a metric counts a failure under: Slack's code, or one of a small set. */
export function failureLabel(failure: SlackFailure): string {
  return failure.label ?? failure.code;
}

/**
 * The system's reason under a failed request (ENOTFOUND, ECONNREFUSED, a TLS error…), found in
 * the errors it wraps: fetch says only "fetch failed", the Web API client "request failed". With
 * no such code, the innermost error's message (fetch's "bad port").
 */
function systemCause(error: unknown): string | undefined {
  let at: unknown = error;
  let innermost: string | undefined;
  for (let depth = 0; depth < 5 && typeof at === "object" && at !== null; depth++) {
    const { code, message } = at as { code?: unknown; message?: unknown };
    if (typeof code === "string" && SYSTEM_CODE.test(code)) return code;
    if (depth > 0 && typeof message === "string" && message !== "") innermost = message;
    at =
      (at as { original?: unknown; cause?: unknown }).original ?? (at as { cause?: unknown }).cause;
  }
  return innermost;
}
