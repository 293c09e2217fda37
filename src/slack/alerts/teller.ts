import type { BlockAction, RespondFn } from "@slack/bolt";
import type { Alert } from "../../domain/alert.js";
import type { Logger } from "../../logger.js";

/** The App Home, where the buttons are too: a click there is answered by showing it anew. */
export interface ClickHome {
  show(user: string, notice?: string, undo?: Pick<Alert, "id" | "createdAt">): Promise<void>;
}

/**
 * How to answer the one who clicked: an ephemeral reply under the message, or, for a click in
 * the App Home (which has no response URL), their Home shown anew with the answer on top —
 * and shown anew once the click is handled even when there is nothing to say.
 */
export function teller(
  body: BlockAction,
  respond: RespondFn,
  home: ClickHome | undefined,
  log: Logger,
) {
  const user = body.user.id;
  const inHome = body.container?.type === "view" ? home : undefined;
  const action = body.actions[0]?.action_id ?? "";
  let told = false;
  /** `undo`: an alert no message shows, its Undo shown with the answer in the Home. */
  const tell = async (text: string, undo?: Alert): Promise<unknown> => {
    told = true;
    if (inHome) return inHome.show(user, text, undo);
    try {
      return await respond({ response_type: "ephemeral", replace_original: false, text });
    } catch (error) {
      // The URL expired (30 minutes) or took its five replies. It carries a token: never logged.
      const status = (error as { statusCode?: number }).statusCode ?? null;
      log.warn(
        { user, action, status },
        `the reply to ${user}'s click (${action}) was lost: ${status === null ? "its response URL could not be reached" : `Slack answered ${status} to its response URL`}, so they were not told the outcome`,
      );
      return undefined;
    }
  };
  const done = async () => {
    if (inHome && !told) await inHome.show(user);
  };
  return { tell, done };
}
