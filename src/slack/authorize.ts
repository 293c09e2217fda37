import type { Authorize, AuthorizeResult } from "@slack/bolt";
import { type Logger as SlackLogger, WebClient } from "@slack/web-api";
import { webClientOptions } from "./client.js";

/**
 * Bolt's `authorize` for the one workspace: who the bot is, asked of Slack (auth.test) once and
 * kept. Given a bot token with token verification off (so that a start while Slack is away does
 * not crash), Bolt would ask auth.test again for every request it receives: each command and
 * click would wait for one more round trip to Slack and spend its rate limit. A failed lookup is
 * not kept: the next request asks again. Each request gets its own copy: Bolt writes the
 * requester's ids into the result it is given.
 */
export function authorizeOnce(
  botToken: string,
  apiUrl: string,
  logger: SlackLogger,
): Authorize<boolean> {
  const client = new WebClient(botToken, { ...webClientOptions(apiUrl), logger });
  let known: Promise<AuthorizeResult> | undefined;
  return () => {
    known ??= client.auth.test().then(
      (me) => ({ botToken, botId: me.bot_id, botUserId: me.user_id, teamId: me.team_id }),
      (error: unknown) => {
        known = undefined;
        throw error;
      },
    );
    return known.then((me) => ({ ...me }));
  };
}
