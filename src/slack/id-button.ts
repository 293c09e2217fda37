import type { App, BlockAction, ButtonAction } from "@slack/bolt";

/** A button's value as a stored row's id (at most 12 digits), or undefined. */
export function rowId(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,12}$/.test(value) ? Number(value) : undefined;
}

/** A press of a button whose value is a stored row's id, acknowledged. */
export interface IdPress {
  readonly user: string;
  readonly actionId: string;
  /** The row's id, when the value is one (a forged value gives undefined). */
  readonly id: number | undefined;
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
        id: rowId(action.value),
        tell: (text) => respond({ response_type: "ephemeral", replace_original: false, text }),
      });
    },
  );
}
