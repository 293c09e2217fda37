import { type RespondArguments, RespondError, type RespondFn } from "@slack/bolt";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";

/** A response URL that answered a 5xx is posted to once more after this. */
const RETRY_MS = 1_000;

/** Who is answered, and what they asked (a command's text, short, or the button pressed). */
export interface Answered {
  readonly user: string;
  readonly asked: string;
}

/** The HTTP status a response URL refused a post with (Bolt's RespondError); none: no answer. */
function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Why a post was not taken, in words, never with the URL. */
function why(error: unknown, status: number | undefined): string {
  if (status === 404 || status === 410)
    return `its response URL has expired (after 30 minutes or five posts; HTTP ${status})`;
  if (status !== undefined && status >= 500) return `Slack answered HTTP ${status} twice`;
  if (status !== undefined) return `Slack refused it (HTTP ${status})`;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return `Slack could not be reached (${String(cause ?? (error as Error | null)?.name)})`;
}

/**
 * Posts a reply to the request's response URL (Bolt's `respond`); a 5xx is tried once more. A
 * reply still not taken is logged once, with whom it was for and why, never with the URL (anyone
 * holding it may post as the app); it is not thrown: the person saw nothing and may ask again.
 */
export async function respondOrLog(
  respond: RespondFn,
  reply: RespondArguments,
  answered: Answered,
  deps: { readonly clock: Clock; readonly log: Logger },
): Promise<void> {
  const post = () =>
    respond(reply).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
  let failed = await post();
  if (failed && (statusOf(failed.error) ?? 0) >= 500) {
    await deps.clock.sleep(RETRY_MS);
    failed = await post();
  }
  if (!failed) return;
  const status = statusOf(failed.error);
  deps.log.warn(
    { ...answered, status },
    `an answer was lost: ${why(failed.error, status)}; they saw nothing and may ask again`,
  );
}

/**
 * Bolt's `respond` for a response URL read outside a listener (Bolt makes one for listeners only):
 * posts as Bolt's does, a refusal thrown with its status.
 */
export function respondTo(url: string): RespondFn {
  return async (message) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(typeof message === "string" ? { text: message } : message),
    });
    if (!response.ok)
      throw new RespondError(`the response URL answered HTTP ${response.status}`, response.status);
    return response;
  };
}
