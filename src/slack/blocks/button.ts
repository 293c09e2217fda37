import type * as types from "@slack/types";

/** A Block Kit button: its action, plain-text label and value, and an optional style and confirm. */
export function button(
  actionId: string,
  text: string,
  value: string,
  style?: "primary" | "danger",
  confirm?: types.ConfirmationDialog,
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
