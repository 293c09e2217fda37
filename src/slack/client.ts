import { ErrorCode, LogLevel, type WebAPICallResult, WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import type { Secret } from "../secret.js";

/**
 * The Web API client. Its own retries are off (it would retry for half an hour and pause every
 * channel on one 429): the notifier decides per channel what to do with each failure.
 */
/** Told of every Web API call: its method and "ok" or Slack's error code. */
export type CallObserver = (method: string, result: string) => void;

/**
 * The Web API client of the outbox. With `observe`, every call is reported; the methods are bound
 * to `apiCall` when the client is built, hence a subclass rather than a wrapper.
 */
export function createWebClient(
  token: Secret,
  apiUrl: string,
  logger: Logger,
  observe?: CallObserver,
): WebClient {
  const options = { ...webClientOptions(apiUrl), logger: slackLogger(logger) };
  if (!observe) return new WebClient(token.reveal(), options);
  class ObservedClient extends WebClient {
    override async apiCall(
      method: string,
      callOptions?: Parameters<WebClient["apiCall"]>[1],
    ): Promise<WebAPICallResult> {
      try {
        const result = await super.apiCall(method, callOptions);
        observe?.(method, "ok");
        return result;
      } catch (error) {
        observe?.(method, classifySlackError(error).code);
        throw error;
      }
    }
  }
  return new ObservedClient(token.reveal(), options);
}

/** The same options for Bolt's own client (`clientOptions`). */
export function webClientOptions(apiUrl: string) {
  return {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
  };
}

/** Slack's libraries log through pino; their info is our debug. */
export function slackLogger(logger: Logger) {
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  return {
    debug: (...m: unknown[]) => logger.debug(text(m)),
    info: (...m: unknown[]) => logger.debug(text(m)),
    warn: (...m: unknown[]) => logger.warn(text(m)),
    error: (...m: unknown[]) => logger.error(text(m)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

export type SlackFailureKind = "rate-limited" | "transient" | "setup" | "rejected";

export interface SlackFailure {
  readonly kind: SlackFailureKind;
  /** Slack's error code (`channel_not_found`) or a short description. */
  readonly code: string;
  readonly retryAfterMs?: number;
  /** For setup problems: what the operator should do. */
  readonly advice?: string;
}

const SETUP: Record<string, string> = {
  channel_not_found:
    "check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there",
  not_in_channel: "invite the bot to the alert channel: /invite @mcp-activity in that channel",
  is_archived: "the alert channel is archived: unarchive it or set SLACK_ALERT_CHANNEL to another",
  invalid_auth: "SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again and restart",
  not_authed: "SLACK_BOT_TOKEN is missing or not valid",
  account_inactive:
    "the Slack app was uninstalled or its token revoked: reinstall it and update SLACK_BOT_TOKEN",
  token_revoked: "the bot token was revoked: reinstall the Slack app and update SLACK_BOT_TOKEN",
  missing_scope: "the Slack app lacks a scope: add the scopes of manifest.yml and reinstall it",
};

/** What a Web API failure means for delivery. */
export function classifySlackError(error: unknown): SlackFailure {
  const coded = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
  };
  if (coded.code === ErrorCode.RateLimitedError) {
    return {
      kind: "rate-limited",
      code: "ratelimited",
      retryAfterMs: (coded.retryAfter ?? 1) * 1000,
    };
  }
  if (coded.code === ErrorCode.PlatformError) {
    const code = coded.data?.error ?? "unknown_error";
    const advice = SETUP[code];
    if (advice) return { kind: "setup", code, advice };
    if (code === "ratelimited") return { kind: "rate-limited", code, retryAfterMs: 1000 };
    if (
      code === "internal_error" ||
      code === "fatal_error" ||
      code === "service_unavailable" ||
      code === "request_timeout"
    ) {
      return { kind: "transient", code };
    }
    return { kind: "rejected", code };
  }
  if (coded.code === ErrorCode.HTTPError)
    return { kind: "transient", code: `HTTP ${coded.statusCode ?? "error"}` };
  return { kind: "transient", code: error instanceof Error ? error.message : String(error) };
}
