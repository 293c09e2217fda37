import { LogLevel, type WebAPICallResult, WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import type { Secret } from "../secret.js";
import {
  classifySlackError,
  DEFAULT_RATE_LIMIT_MS,
  failureLabel,
  SlackPausedError,
} from "./failure.js";
import { GrantedScopes } from "./granted-scopes.js";
import type { SlackPauses } from "./outbox/pauses.js";

/** Told of every Web API call: its method and "ok" or Slack's error code. */
export type CallObserver = (method: string, result: string) => void;

/** Told of the scopes an answer says the token has (its X-OAuth-Scopes header). */
export type ScopesObserver = (scopes: readonly string[]) => void;

/** An error of a Web API call, with the method that failed. */
export type MethodError = Error & { slackMethod?: string };

/**
 * The Web API client of the app. Its own retries are off (it would retry for half an hour and
 * pause every channel on one 429): the outbox decides what to do with each failure. With
 * `pauses`, a method the workspace has paused is not called at all (a SlackPausedError is thrown)
 * and a 429 pauses it; with `observe`, every call is reported; with `scopes`, the scopes each
 * answer says the token has (the client reads them from its header). The methods are bound to
 * `apiCall` when the client is built, hence a subclass rather than a wrapper.
 */
export function createWebClient(
  token: Secret,
  apiUrl: string,
  logger: Logger,
  options: {
    observe?: CallObserver;
    pauses?: SlackPauses;
    timeoutMs?: number;
    scopes?: ScopesObserver;
  } = {},
): WebClient {
  const { observe, pauses } = options;
  const granted = (result: WebAPICallResult | undefined) => {
    const scopes = result?.response_metadata?.scopes;
    if (scopes && options.scopes) options.scopes(scopes);
  };
  class PacedClient extends WebClient {
    override async apiCall(
      method: string,
      callOptions?: Parameters<WebClient["apiCall"]>[1],
    ): Promise<WebAPICallResult> {
      const paused = pauses?.holding(method);
      if (paused) throw new SlackPausedError(method, paused.until, paused.reason);
      try {
        const result = await super.apiCall(method, callOptions);
        observe?.(method, "ok");
        granted(result);
        return result;
      } catch (error) {
        granted((error as { data?: WebAPICallResult }).data);
        const failure = classifySlackError(error);
        if (failure.kind === "rate-limited")
          pauses?.rateLimited(method, failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS);
        observe?.(method, failureLabel(failure));
        if (error instanceof Error) (error as MethodError).slackMethod = method;
        throw error;
      }
    }
  }
  const defaults = webClientOptions(apiUrl);
  return new PacedClient(token.reveal(), {
    ...defaults,
    timeout: options.timeoutMs ?? defaults.timeout,
    logger: slackLogger(logger),
  });
}

/** The bot's client (see createWebClient), and the scopes its answers say the token has. */
export function botClient(
  token: Secret,
  apiUrl: string,
  logger: Logger,
  options: { observe: CallObserver; pauses: SlackPauses },
): { client: WebClient; scopes: GrantedScopes } {
  const scopes = new GrantedScopes(logger);
  const client = createWebClient(token, apiUrl, logger, {
    ...options,
    scopes: (granted) => scopes.granted(granted),
  });
  return { client, scopes };
}

/** The same options for Bolt's own client (`clientOptions`). */
export function webClientOptions(apiUrl: string) {
  return {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Under the 10 s a stop may take: a call in flight when the process is told to stop ends in
    // time (a post answered too late is looked up, never sent twice).
    timeout: 8_000,
  };
}

/**
 * The Socket Mode client's error lines, each attempt: the app says a failure once, with its cause;
 * and the receivers' lines on an error a listener let through, which `app.error` says (listener-errors).
 */
const SAID_BY_THE_APP = [
  "Failed to retrieve a new WSS URL",
  "WebSocket error occurred",
  "WebSocket error!",
  "An unhandled error occurred",
];

/** How Bolt's HTTP receiver words a request it refused for its signature or timestamp. */
const NOT_VERIFIED = "Failed to verify authenticity: ";
/**
 * How it words one whose body it did not read whole (the sender hung up, or it was over 4 MB),
 * told as the whole line. Looked for after NOT_VERIFIED: the first also wraps a bad signature.
 */
const NOT_READ = [
  "Failed to parse and verify the request data: ",
  "Request body exceeded the maximum allowed size",
];

/**
 * Slack's libraries log through pino: their info is our debug, their debug our trace. Their debug
 * lines carry what Slack sent and what the app answered (a command's response_url, which posts as
 * the app for 30 minutes; people's e-mails; the audit log's answers): never below trace.
 * `onRefused`: told of each request refused before any listener ran (its signature, its body),
 * with Bolt's reason, which it says instead.
 */
export function slackLogger(logger: Logger, onRefused?: (reason: string) => void) {
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  return {
    debug: (...m: unknown[]) => logger.trace(text(m)),
    info: (...m: unknown[]) => logger.debug(text(m)),
    // A failed call is said by whoever made it (the outbox: once while it lasts, with the cause).
    warn: (...m: unknown[]) => {
      const line = text(m);
      const notRead = NOT_READ.find((start) => line.includes(start));
      if (line.startsWith("http request failed")) logger.debug(line);
      else if (onRefused && line.includes(NOT_VERIFIED)) {
        logger.debug(line);
        onRefused(line.slice(line.indexOf(NOT_VERIFIED) + NOT_VERIFIED.length));
      } else if (onRefused && notRead) {
        logger.debug(line);
        onRefused(line.slice(line.indexOf(notRead)));
      } else logger.warn(line);
    },
    // A Socket Mode connection that failed is said by the app once per reason (socket-connection).
    error: (...m: unknown[]) => {
      const line = text(m);
      if (SAID_BY_THE_APP.some((start) => line.startsWith(start))) logger.debug(line);
      else logger.error(line);
    },
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
