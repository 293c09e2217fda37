import { systemClock } from "../clock.js";
import { CHANGED_AGAIN } from "../ingest/changed-again.js";
import { catalogFor, type FileClassification } from "../ingest/classify-again.js";
import { alreadyAndLeft, recoverQuarantined } from "../ingest/quarantine-recovery.js";
import { createLogger } from "../logger.js";
import type { Repositories } from "../store/repositories.js";

/** Items read again per transaction by `reclassify`: larger than the bot's, fewer commits. */
const CHUNK = 1_000;

/**
 * `reclassify`'s first part: every organization's quarantined items read again with this build,
 * from the first (recoverQuarantined), those it reads stored as events; a line each on stdout,
 * progress on stderr. False when `stop` ended it part-way (the next run reads what is left).
 */
export async function readQuarantineAgain(
  stores: Repositories,
  rules: FileClassification,
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  stop: () => boolean,
): Promise<boolean> {
  // What the bot would log is said in the lines below.
  const log = createLogger({ level: "silent", format: "json" });
  for (const orgId of stores.quarantineRecovery.orgs()) {
    const result = await recoverQuarantined(
      {
        orgId,
        stores,
        log,
        now: () => systemClock.now(),
        chunk: CHUNK,
        progress: (read, total) =>
          out.stderr.write(`reclassify: ${read} of ${total} quarantined items read again\n`),
        // An item whose id is stored with other content: said as the bot warns of it (no values).
        onStored: ({ changed }) => {
          for (const c of changed)
            out.stderr.write(
              `reclassify: ${CHANGED_AGAIN}: event ${c.id} of ${c.orgId}, fields ${c.fields.join(", ")}\n`,
            );
        },
        stop,
      },
      catalogFor(stores.eventActions.all(orgId), rules),
    );
    if (result.stopped) {
      out.stderr.write(
        `\nstopped: ${result.read} quarantined items of ${orgId} read again, ${result.recovered} of them stored as events; run \`mcp-activity reclassify\` again to finish\n`,
      );
      return false;
    }
    if (result.read === 0) continue;
    out.stdout.write(
      `${orgId}: ${result.recovered} of ${result.read} quarantined items stored as events (this build reads them; the bot's rules judge them as late events); ${alreadyAndLeft(result)}\n`,
    );
  }
  return true;
}
