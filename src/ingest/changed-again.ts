import type { Logger } from "../logger.js";
import type { ChangedEvent } from "../store/changed-events.js";

/** Ids said already; the oldest forgotten past this many. */
const REMEMBERED = 10_000;

/** Said, at warn, of an event that came again under its id with other content. */
export const CHANGED_AGAIN =
  "an event came again under an id already stored, with other content: the version first stored is kept (see docs/troubleshooting.md)";

/**
 * Says each event that came again with other content once per id (a read by time re-reads the
 * same events poll after poll): its id, organization and the fields that differ, never values.
 */
export class ChangedAgain {
  private readonly said = new Set<string>();

  constructor(private readonly log: Logger) {}

  note(changed: readonly ChangedEvent[]): void {
    for (const { orgId, id, fields } of changed) {
      const key = `${orgId}\n${id}`;
      if (this.said.has(key)) continue;
      this.said.add(key);
      if (this.said.size > REMEMBERED) this.said.delete(this.said.values().next().value as string);
      this.log.warn({ eventId: id, orgId, fields }, CHANGED_AGAIN);
    }
  }
}
