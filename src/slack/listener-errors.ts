import { type CodedError, ErrorCode } from "@slack/bolt";
import type { Logger } from "../logger.js";

/**
 * Bolt's last stop for an error a listener or middleware let through (`app.error`): said once,
 * in words the operator can act on, then thrown on, so the receiver answers a request not yet
 * acknowledged as Bolt does (401 when the bot could not tell who it is, else 500) and says
 * nothing more than a debug line of its own.
 */
export function listenerErrors(logger: Logger) {
  const log = logger.child({ component: "slack" });
  return async (error: CodedError): Promise<never> => {
    if (error.code === ErrorCode.AuthorizationError)
      log.error(
        { err: error.original ?? error },
        "a request from Slack was not answered: the bot could not ask Slack who it is (auth.test); the next request asks again",
      );
    else
      log.error(
        { err: error, code: error.code },
        "a request from Slack failed after it was taken; the person may have seen no answer",
      );
    throw error;
  };
}
