import type { Logger } from "../logger.js";
import type { QuarantinedItem } from "../store/quarantine.js";
import type { PollError } from "./poll-failures.js";

/** Reasons kept to be said once: bounded, should each item fail in words of its own. */
const MAX_SAID = 100;
/**
 * Items read before their share is judged, over as many polls as it takes: on a quiet
 * organization one broken item among one read is not a changed format.
 */
const MIN_JUDGED = 10;

/**
 * How much of what the polls read goes to the quarantine. A field Atlassian renames sends every
 * event there: nothing is stored or alerted on, while each poll succeeds. Once at least MIN_JUDGED
 * items were read (in one poll or several), more than half of them quarantined makes the poller
 * unhealthy until as many are read again mostly as events; each reason is logged once, not at
 * every poll.
 */
export class QuarantineShare {
  private read = 0;
  private bad = 0;
  private first: string | undefined;
  private error: PollError | null = null;
  private readonly said = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** The share is too high: why, and what to do; null otherwise. */
  get lastError(): PollError | null {
    return this.error;
  }

  /** A batch was stored: `added` of its broken items were new to the quarantine. */
  stored(events: number, bad: readonly QuarantinedItem[], added: number): void {
    this.read += events + bad.length;
    this.bad += bad.length;
    this.first ??= bad[0]?.error;
    // Items read again by time are in the quarantine already: said when they first came.
    const reasons = [...new Set(bad.map((b) => b.error))].filter((r) => !this.said.has(r));
    if (added === 0 || reasons.length === 0) return;
    for (const reason of reasons) if (this.said.size < MAX_SAID) this.said.add(reason);
    this.log.warn(
      { quarantined: added, reasons: reasons.slice(0, 3) },
      "malformed events quarantined",
    );
  }

  /** A poll read what it could: judges the share once enough was read, then counts afresh. */
  ended(now: number): void {
    if (this.read < MIN_JUDGED) return;
    const { read, bad, first } = this;
    this.read = 0;
    this.bad = 0;
    this.first = undefined;
    if (bad * 2 > read) {
      const message = `${bad} of the ${read} items the latest polls read were quarantined (${first}): Atlassian may have changed the audit log's format, and these events are neither stored nor alerted on. See quarantined_events in the database, and upgrade mcp-activity: a release that reads them stores them as events`;
      if (this.error === null) this.log.error({ quarantined: bad, read }, message);
      this.error = { kind: "malformed", message, at: now };
      return;
    }
    if (this.error === null) return;
    this.log.info(
      "the audit log's events are stored again: most of what the latest polls read was",
    );
    this.error = null;
    // Should they come back, said again.
    this.said.clear();
  }
}
