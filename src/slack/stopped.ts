import type { AnyMiddlewareArgs, App, RespondFn } from "@slack/bolt";

/** What a person who types a command or presses a button is told once the bot has stopped. */
export const STOPPED_REPLY =
  "mcp-activity has stopped: its database files were deleted or replaced while it ran, so nothing can be recorded, and nothing was done. Ask whoever runs it to restart it.";

/**
 * Once the bot has stopped for its database file (deleted or replaced under it), what people do
 * in Slack is not taken into the file it still has open, lost at the next start: an
 * acknowledgement, a mute or a person's answer would seem done and be gone. A command or a button
 * is answered that the bot has stopped; anything else (an App Home opened) is left unanswered.
 */
export function refuseWhileStopped(app: App, stopped: () => boolean): void {
  app.use(async (args) => {
    if (!stopped()) return args.next();
    const { ack, respond } = args as AnyMiddlewareArgs & {
      ack?: (answer?: object) => Promise<void>;
      respond?: RespondFn;
    };
    if ("command" in args) return ack?.({ response_type: "ephemeral", text: STOPPED_REPLY });
    await ack?.();
    if ("action" in args)
      await respond?.({ response_type: "ephemeral", replace_original: false, text: STOPPED_REPLY });
  });
}
