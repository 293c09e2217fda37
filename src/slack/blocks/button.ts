import type * as types from "@slack/types";

/** A confirm dialog: its text is plain_text, as Slack documents (mrkdwn would show its markup). */
export type Confirm = types.ConfirmationDialog & { text: types.PlainTextElement };

/** A Block Kit button: its action, plain-text label and value, and an optional style and confirm. */
export function button(
  actionId: string,
  text: string,
  value: string,
  style?: "primary" | "danger",
  confirm?: Confirm,
): types.Button {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text },
    value,
    ...(style ? { style } : {}),
    ...(confirm ? { confirm } : {}),
  };
}
