import type { AnyMiddlewareArgs, App, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { respondOrLog } from "./response-url.js";

/** The file whose change stopped the bot: its database, or its lock. */
export type StoppedFor = "database" | "lock";

/** What a person who types a command, presses a button or opens the App Home is told. */
export function stoppedReply(file: StoppedFor): string {
  const why =
    file === "database"
      ? "its database file (or its -wal or -shm file) was deleted or replaced while it ran, so nothing can be recorded"
      : "its lock file was deleted or replaced while it ran, and it stopped rather than risk a second copy posting the same alerts";
  return `mcp-activity has stopped, and nothing was done: ${why}. Ask whoever runs it to restart it.`;
}

/**
 * Once the bot has stopped for its database or lock file (deleted or replaced under it), what
 * people do in Slack is not taken: into a database file that is gone, an acknowledgement, a mute
 * or a person's answer would seem done and be lost at the next start. A command or a message's
 * button is answered, to that person alone, that the bot has stopped; the App Home (opened, or a
 * button in it, which has no response URL) shows it instead of buttons that would do nothing.
 * The outbox has stopped with the bot: that Home is published here, at once.
 */
export function refuseWhileStopped(
  app: App,
  stopped: () => StoppedFor | null,
  logger: Logger,
  clock: Clock,
): void {
  app.use(async (args) => {
    const file = stopped();
    if (file === null) return args.next();
    const text = stoppedReply(file);
    const { ack, respond } = args as AnyMiddlewareArgs & {
      ack?: (answer?: object) => Promise<void>;
      respond?: RespondFn;
    };
    if ("command" in args) return ack?.({ response_type: "ephemeral", text });
    await ack?.();
    if ("action" in args && respond) {
      const answered = { user: args.body.user.id, asked: "a button, while stopped" };
      const reply = { response_type: "ephemeral" as const, replace_original: false, text };
      return respondOrLog(respond, reply, answered, { clock, log: logger });
    }
    const user = homeUser(args);
    if (user !== undefined) await showStopped(args.client, user, text, logger);
  });
}

/** Who opened the App Home or pressed a button in it; undefined: neither. */
function homeUser(args: AnyMiddlewareArgs): string | undefined {
  if ("event" in args && args.event.type === "app_home_opened") return args.event.user;
  if ("action" in args && args.body.type === "block_actions") return args.body.user.id;
  return undefined;
}

async function showStopped(
  client: WebClient,
  user: string,
  text: string,
  logger: Logger,
): Promise<void> {
  try {
    await client.views.publish({
      user_id: user,
      view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text } }] },
    });
  } catch (error) {
    logger.warn({ err: error, user }, "the App Home could not be shown stopped");
  }
}
