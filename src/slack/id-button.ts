import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { readRowRef } from "./blocks/row-ref.js";

/** A press of a button whose value is a stored row's id, acknowledged. */
export interface IdPress {
  readonly user: string;
  readonly actionId: string;
  /** The row's id, when the value is one (a forged value gives undefined). */
  readonly id: number | undefined;
  /** The stamp of the row the button was drawn for (see row-ref.ts), when the value has one. */
  readonly stamp: number | undefined;
  /** Says something to the person who pressed, and only to them. */
  readonly tell: (text: string) => Promise<unknown>;
}

/**
 * Listens to buttons whose value names a stored row (a question to a person, a weekly check):
 * each press acknowledged at once, its value read as an id or nothing.
 */
export function onIdButton(
  app: App,
  actionIds: readonly string[],
  handle: (press: IdPress) => Promise<void>,
): void {
  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^(${actionIds.join("|")})$`),
    async ({ ack, body, action, respond }) => {
      await ack();
      await handle({
        user: body.user.id,
        actionId: action.action_id,
        ...(readRowRef(action.value) ?? { id: undefined, stamp: undefined }),
        tell: (text) => respond({ response_type: "ephemeral", replace_original: false, text }),
      });
    },
  );
}
