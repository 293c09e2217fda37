import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { type MessageAt, readRowRef } from "./blocks/row-ref.js";
import { clickedMessage } from "./clicked-message.js";
import { respondOrLog } from "./response-url.js";

/** A press of a button whose value is a stored row's id, acknowledged. */
export interface IdPress {
  readonly user: string;
  readonly actionId: string;
  /** The row's id, when the value is one (a forged value gives undefined). */
  readonly id: number | undefined;
  /** The stamp of the row the button was drawn for (see row-ref.ts), when the value has one. */
  readonly stamp: number | undefined;
  /** The message the button was in, when it can be one the app stored (see clickedMessage). */
  readonly message: MessageAt | undefined;
  /** Says something to the person who pressed, and only to them. */
  readonly tell: (text: string) => Promise<unknown>;
}

/**
 * Listens to buttons whose value names a stored row (a question to a person, a weekly check):
 * each press acknowledged at once, its value read as an id or nothing. What the person is told
 * goes to the press's response URL; a reply lost there is logged (see respondOrLog).
 */
export function onIdButton(
  app: App,
  actionIds: readonly string[],
  handle: (press: IdPress) => Promise<void>,
  deps: { readonly clock: Clock; readonly log: Logger },
): void {
  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^(${actionIds.join("|")})$`),
    async ({ ack, body, action, respond }) => {
      await ack();
      await handle({
        user: body.user.id,
        actionId: action.action_id,
        ...(readRowRef(action.value) ?? { id: undefined, stamp: undefined }),
        message: clickedMessage(body),
        tell: (text) =>
          respondOrLog(
            respond,
            { response_type: "ephemeral", replace_original: false, text },
            { user: body.user.id, asked: action.action_id },
            deps,
          ),
      });
    },
  );
}
