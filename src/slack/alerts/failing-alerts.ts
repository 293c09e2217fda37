import type { Logger } from "../../logger.js";
import type { DeliveryStore, PendingAlert } from "../../store/deliveries.js";
import type { OutboxStore } from "../../store/outbox.js";

/** Passes an alert's message fails in a row (not the database's trouble) before it is set aside. */
const SET_ASIDE_AFTER = 3;

/**
 * Alerts whose message or reply could not be made (a bug), and in how many passes in a row: each
 * is tried again at the next passes, never holding back the alerts after it, and after three
 * its revision is settled (with the reason when never posted), said once at error.
 */
export class FailingAlerts {
  private readonly failures = new Map<number, number>();

  constructor(
    private readonly o: {
      readonly outbox: OutboxStore;
      readonly deliveries: DeliveryStore;
      readonly logger: Logger;
      readonly orgId: string;
      readonly channel: string;
      readonly now: () => number;
    },
  ) {}

  /** The alert's message was made. */
  made(alertId: number): void {
    this.failures.delete(alertId);
  }

  /** It could not be; true when it is set aside now. */
  failed({ alert, kind }: PendingAlert, error: unknown): boolean {
    const failed = (this.failures.get(alert.id) ?? 0) + 1;
    this.failures.set(alert.id, failed);
    if (failed < SET_ASIDE_AFTER) return false;
    this.failures.delete(alert.id);
    const { orgId, channel, deliveries } = this.o;
    const reason = `its message could not be made: ${(error as Error).message}`;
    this.o.logger.error({ err: error, alertId: alert.id }, `alert ${alert.id}: ${reason}`);
    const now = this.o.now();
    this.o.outbox.atomically(() => {
      if (kind === "new") {
        deliveries.markQueued(orgId, alert.id, channel, alert.revision, now);
        deliveries.markFailed(orgId, alert.id, reason, now);
      } else deliveries.markRevision(orgId, alert.id, alert.revision);
    });
    return true;
  }
}
