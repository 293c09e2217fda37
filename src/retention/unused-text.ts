import type { Logger } from "../logger.js";
import type { UnusedStrings } from "../store/unused-strings.js";
import { nextTurn } from "../wait.js";

/** Events read per turn when looking for text no row refers to any more. */
const SWEEP_CHUNK = 1000;

/**
 * Deletes the text no row refers to any more: a person's name, e-mail and account id once all
 * their events are pruned, reading a chunk of events a turn. Null when stopped, or when another
 * process wrote meanwhile: the next pass tries again.
 */
export async function forgetUnusedText(
  unused: UnusedStrings,
  logger: Logger,
  signal?: AbortSignal,
): Promise<number | null> {
  const sweep = unused.begin();
  while (unused.read(sweep, SWEEP_CHUNK)) {
    if (signal?.aborted) return null;
    await nextTurn();
  }
  const forgotten = unused.finish(sweep);
  if (forgotten === null)
    logger.info(
      "retention: another process wrote to the database while unused names and e-mails were looked for; they are deleted at the next pass",
    );
  return forgotten;
}
