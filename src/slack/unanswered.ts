import type { App, BlockAction, ReceiverUnhandledRequestHandlerArgs } from "@slack/bolt";
import type { Logger } from "../logger.js";
import { ASK_ACTIONS } from "./blocks/ask.js";
import { ATTEST_ACTIONS } from "./blocks/attestation.js";
import { HOME_ACTIONS } from "./blocks/home-person.js";
import { QUERY_ACTIONS } from "./blocks/query.js";
import { COMMAND } from "./commands/slash-command.js";
import { escapeMrkdwn, truncate } from "./escape.js";

/**
 * The action ids the app's listeners take (handlers.ts): every `alert_` one (alerts/actions.ts
 * takes any), and these. A listener for a new id adds it here, or its clicks are acknowledged twice.
 */
const TAKEN = [QUERY_ACTIONS, HOME_ACTIONS, ATTEST_ACTIONS, ASK_ACTIONS].flatMap((ids) =>
  Object.values(ids),
);

/**
 * Bolt runs every listener whose matcher passes, side by side, whatever the order they were
 * added in: a catch-all must leave out, by its pattern, what the others take.
 */
export const OTHER_COMMAND = new RegExp(`^(?!${COMMAND}$)`);
export const UNTAKEN_ACTION = new RegExp(`^(?!alert_|(?:${TAKEN.join("|")})$)`);

/** What a person who typed `command` (not the app's) is told. */
function otherCommandReply(command: string): string {
  return `This app answers ${COMMAND}, not ${escapeMrkdwn(truncate(command, 40))}: ask whoever runs it to rename the command back to ${COMMAND} in the Slack app's settings (Slash Commands, as in its manifest.yml).`;
}

/**
 * Commands and clicks none of the app's listeners take (a command renamed in the Slack app's
 * settings, a button of a message another version posted): answered at once, instead of Slack
 * showing the person a failure after 3 s, and said once per name in the log, with what to fix.
 */
export function registerUnanswered(app: App, logger: Logger): void {
  const log = logger.child({ component: "slack" });
  const said = new Set<string>();
  const once = (key: string, say: () => void) => {
    if (said.has(key)) return;
    said.add(key);
    say();
  };
  app.command(OTHER_COMMAND, async ({ command, ack }) => {
    await ack({ response_type: "ephemeral", text: otherCommandReply(command.command) });
    const name = truncate(command.command, 80);
    once(`command ${name}`, () =>
      log.warn(
        { command: name },
        `Slack sent the command ${name}, which this app does not answer: it answers ${COMMAND} only. Rename the command back to ${COMMAND} in the Slack app's settings (Slash Commands; features.slash_commands in manifest.yml); the person was told to ask you`,
      ),
    );
  });
  app.action<BlockAction>(UNTAKEN_ACTION, async ({ action, ack }) => {
    await ack();
    const id = truncate(action.action_id, 80);
    once(`action ${id}`, () =>
      log.warn(
        { actionId: id },
        `a click on ${id}, which this version of the app has no listener for (a message posted by another version, or another app's blocks), was acknowledged and nothing was done`,
      ),
    );
  });
}

/**
 * HTTP mode: a request nothing acknowledged within Slack's 3 s (Bolt's own line speaks to the
 * developer). Slack has shown the person a failure by then.
 */
export function unansweredRequest(logger: Logger) {
  const log = logger.child({ component: "slack" });
  return ({ response }: ReceiverUnhandledRequestHandlerArgs): void => {
    log.warn(
      "a request from Slack got no answer within 3 s, so Slack showed the person a failure: either nothing in this app takes it (a shortcut or other feature not in manifest.yml: compare the Slack app's settings with it) or its answer came too late (this machine was too slow, or Slack's Web API slow to say who the bot is: auth.test)",
    );
    if (!response.headersSent) {
      response.writeHead(404);
      response.end();
    }
  };
}
