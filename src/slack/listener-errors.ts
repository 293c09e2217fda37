import { type CodedError, ErrorCode } from "@slack/bolt";
import { z } from "zod";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { respondOrLog, respondTo } from "./response-url.js";
import { TOKEN_REFUSED } from "./setup-codes.js";

/** A command's or a message button's request: where its answer goes, who asked, and what. */
const withResponseUrl = z.object({
  response_url: z.string().url(),
  user_id: z.string().optional(),
  user: z.object({ id: z.string() }).optional(),
  command: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string() })).optional(),
});

/** What the person is told when the bot could not ask Slack who it is (`cause`: auth.test's error). */
function notAuthorizedReply(cause: unknown): string {
  const code = (cause as { data?: { error?: unknown } } | null | undefined)?.data?.error;
  return typeof code === "string" && TOKEN_REFUSED.has(code)
    ? "mcp-activity could not answer: Slack refused the bot's token, so nothing was done. Tell whoever runs it (SLACK_BOT_TOKEN needs replacing)."
    : "mcp-activity could not answer: it could not reach Slack to check who it is, so nothing was done. Try again in a minute; if it keeps happening, tell whoever runs it.";
}

/**
 * Bolt's last stop for an error a listener or middleware let through (`app.error`, extended: it
 * gets the request's body): said once, in words the operator can act on, then thrown on, so the
 * receiver answers a request not yet acknowledged as Bolt does (500) and says nothing more than a
 * debug line of its own. When the bot could not tell who it is (auth.test, before any listener),
 * a command or a message's button is answered on its response URL, to the person alone, and Bolt
 * acknowledges the request empty; another request is answered 401 (HTTP) or acknowledged empty.
 */
export function listenerErrors(logger: Logger, clock: Clock) {
  const log = logger.child({ component: "slack" });
  return async ({ error, body }: { error: CodedError; body: unknown }): Promise<void> => {
    if (error.code !== ErrorCode.AuthorizationError) {
      log.error(
        { err: error, code: error.code },
        "a request from Slack failed after it was taken; the person may have seen no answer",
      );
      throw error;
    }
    log.error(
      { err: error.original ?? error },
      "a request from Slack was not answered: the bot could not ask Slack who it is (auth.test); the next request asks again",
    );
    const asked = withResponseUrl.safeParse(body);
    if (!asked.success) throw error;
    const { response_url: url, user_id, user, command, actions } = asked.data;
    const reply = { response_type: "ephemeral" as const, replace_original: false };
    const answered = {
      user: user_id ?? user?.id ?? "",
      asked: command ?? actions?.[0]?.action_id ?? "",
    };
    // Not awaited: Bolt acknowledges the request once this returns, within Slack's 3 s.
    void respondOrLog(
      respondTo(url),
      { ...reply, text: notAuthorizedReply(error.original) },
      answered,
      { clock, log },
    );
  };
}
