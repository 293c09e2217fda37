import { z } from "zod";

/** What the operator reads (in the log and /healthz lastError) for why Socket Mode is not up. */

const INVALID_TOKEN =
  "SLACK_APP_TOKEN is not valid: generate an app-level token with the connections:write scope (Basic Information → App-Level Tokens)";

/** apps.connections.open's refusals of the app-level token, said with the variable to fix. */
const TOKEN_WORDS: Readonly<Record<string, string>> = {
  invalid_auth: INVALID_TOKEN,
  not_authed: INVALID_TOKEN,
  account_inactive: INVALID_TOKEN,
  token_revoked: INVALID_TOKEN,
  missing_scope: "SLACK_APP_TOKEN lacks the connections:write scope",
  not_allowed_token_type: "SLACK_APP_TOKEN is not an app-level token (xapp-…)",
};

/** Slack's client rejects with nothing when the WebSocket closes before Slack's hello. */
const CLOSED_BEFORE_HELLO =
  "the WebSocket closed before Slack said hello: check that this machine reaches wss://*.slack.com";

/**
 * Why a connection attempt failed: Slack's error code (in words when it is the token's fault),
 * else the network's (ECONNREFUSED, ENOTFOUND), else the message. Total: any value gives words.
 */
export function reasonOf(error: unknown): string {
  if (error === undefined || error === null) return CLOSED_BEFORE_HELLO;
  const e = error as {
    data?: { error?: unknown };
    original?: { code?: unknown; cause?: { code?: unknown } };
    message?: unknown;
  };
  const code = [e.data?.error, e.original?.code, e.original?.cause?.code].find(
    (c): c is string => typeof c === "string",
  );
  if (code) return TOKEN_WORDS[code] ?? code;
  return typeof e.message === "string" && e.message ? e.message : String(error);
}

/** Slack's `disconnect` envelope: it closes the link right after, for `reason`. */
const disconnectEnvelope = z.object({ type: z.literal("disconnect"), reason: z.string() });

/** The reason of a raw WebSocket message when it is Slack's `disconnect` envelope. */
export function disconnectReason(data: unknown): string | undefined {
  if (typeof data !== "string") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  const envelope = disconnectEnvelope.safeParse(parsed);
  return envelope.success ? envelope.data.reason : undefined;
}

/** Slack's routine reasons to close a link (a refresh, or its warning ahead of one). */
const ROUTINE = new Set(["refresh_requested", "warning"]);

/**
 * How a drop is said: `words` (undefined for a routine one, which is only reconnected) and
 * whether the operator has something to do about it.
 */
export function dropWords(reason: string | undefined): { words?: string; warn: boolean } {
  if (reason === undefined || ROUTINE.has(reason)) return { warn: false };
  if (reason === "link_disabled")
    return {
      words:
        "Socket Mode is off in the Slack app (Settings → Socket Mode): turn it on, or unset SLACK_APP_TOKEN to receive requests over HTTP",
      warn: true,
    };
  if (reason === "too_many_websockets")
    return {
      words:
        "Slack closed it: too_many_websockets: more than 10 connections are open for this app, so other copies of the bot (or other programs) use the same SLACK_APP_TOKEN: stop them, or revoke the token and generate a new one",
      warn: true,
    };
  return { words: `Slack closed it: ${reason}`, warn: true };
}
