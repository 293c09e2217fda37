import type { Authorize, AuthorizeResult } from "@slack/bolt";
import { type Logger as SlackLogger, WebClient } from "@slack/web-api";
import { webClientOptions } from "./client.js";

/**
 * How long a request waits for Slack to say who the bot is: well under Slack's 3 s, so that the
 * listener can still acknowledge it. Past this the request goes on without the bot's ids.
 */
export const AUTHORIZE_WAIT_MS = 1_000;

export interface BotAuthorization {
  readonly authorize: Authorize<boolean>;
  /** Asks Slack who the bot is now (at start), so that the first request does not wait for it. */
  warm(): void;
}

/**
 * Bolt's `authorize` for the one workspace: who the bot is, asked of Slack (auth.test) once and
 * kept. Given a bot token with token verification off (so that a start while Slack is away does
 * not crash), Bolt would ask auth.test again for every request it receives: each command and
 * click would wait for one more round trip to Slack and spend its rate limit. A failed lookup is
 * not kept: the next request asks again. A lookup not answered within `waitMs` is not waited for:
 * the request goes on with the token alone (the app's listeners need no more; Bolt takes the
 * team from the request) and the answer, once there, is kept. Each request gets its own copy:
 * Bolt writes the requester's ids into the result it is given.
 */
export function authorizeOnce(
  botToken: string,
  apiUrl: string,
  logger: SlackLogger,
  waitMs = AUTHORIZE_WAIT_MS,
): BotAuthorization {
  const client = new WebClient(botToken, { ...webClientOptions(apiUrl), logger });
  let known: Promise<AuthorizeResult> | undefined;
  const lookUp = (): Promise<AuthorizeResult> => {
    known ??= client.auth.test().then(
      (me) => ({ botToken, botId: me.bot_id, botUserId: me.user_id, teamId: me.team_id }),
      (error: unknown) => {
        known = undefined;
        throw error;
      },
    );
    return known;
  };
  const authorize: Authorize<boolean> = async () => {
    const asked = lookUp();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    try {
      const me = await Promise.race([asked, late]);
      if (me) return { ...me };
    } finally {
      clearTimeout(timer);
    }
    logger.info(
      `Slack had not said who the bot is (auth.test) after ${waitMs} ms: the request goes on without waiting for it`,
    );
    return { botToken };
  };
  return {
    authorize,
    // A failure is not kept: the next request asks again and says it.
    warm: () => void lookUp().catch(() => undefined),
  };
}
