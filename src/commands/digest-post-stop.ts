import { withdrawDigest } from "../slack/digest-outbox.js";
import { fromStore } from "../store/errors.js";
import type { Repositories } from "../store/repositories.js";

/**
 * `digest --post` told to stop (Ctrl-C) while it waits for Slack: its digest withdrawn while none
 * of it may have reached Slack, so that no start of the bot posts it beside the one a second run
 * posts; else left queued for the bot, which posts what Slack does not have, once. What to say.
 */
export function stopPosting(
  stores: Pick<Repositories, "outbox" | "digests">,
  digestId: number | undefined,
  signal: NodeJS.Signals,
  now: number,
): string {
  const stopped = `digest --post stopped (${signal})`;
  if (digestId === undefined) return `${stopped} before its digest was queued: nothing is posted`;
  const reason = `withdrawn: digest --post was stopped (${signal})`;
  try {
    switch (withdrawDigest(stores.outbox, stores.digests, digestId, reason, now)) {
      case "withdrawn":
        return `${stopped}: its digest is withdrawn, nothing of it posted; digest --post again posts one`;
      case "posted":
        return `${stopped}: its digest is posted; what is left of it (thread replies, chart) stays queued, and the bot posts it`;
      case "being sent":
        return `${stopped} while its digest was being sent: it may have reached Slack, so it stays queued; the bot finds out (at its start, or now if it runs) and posts it only if Slack does not have it. Do not post it again`;
    }
  } catch (error) {
    // A write lock held past the busy timeout (a running bot's batch, a sqlite3 shell): nothing
    // of the withdraw is written, so the digest waits for the bot as queued.
    if (!fromStore(error)) throw error;
    return `${stopped}, but its digest could not be withdrawn (the database said: ${(error as Error).message}): it stays queued, and the bot posts it (at its start, or now if it runs). Do not run digest --post again`;
  }
}

/**
 * Runs `work`; told to stop meanwhile (SIGINT, SIGTERM), the process says on stderr what becomes
 * of it (`said`) and ends: exit 130, or 143 on SIGTERM. The handlers stay registered while
 * `said` runs (it may wait for the database's write lock, blocking the thread): a second signal
 * meanwhile finds them, not the default action, so it never kills the process unheard.
 */
export async function stoppable<T>(
  work: () => Promise<T>,
  said: (signal: NodeJS.Signals) => string,
  stderr: NodeJS.WritableStream,
): Promise<T> {
  const stop = (signal: NodeJS.Signals) => {
    stderr.write(`\n${said(signal)}\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    return await work();
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
