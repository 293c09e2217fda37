import type { Alert } from "../../domain/alert.js";
import type { StoredEvent } from "../../domain/event.js";
import type { AlertStore } from "../../store/alerts.js";
import type { EventStore } from "../../store/events.js";

/**
 * The stored call an alert's title names: the one whose finding gave it its title (retitled, the
 * one that made it more severe or larger), else its first. What its message, the question to its
 * person and their answer show.
 */
export function titledEvent(
  stores: {
    readonly alerts: Pick<AlertStore, "titledBy">;
    readonly events: Pick<EventStore, "bySeq">;
  },
  alert: Alert,
): StoredEvent | undefined {
  return stores.events.bySeq(stores.alerts.titledBy(alert) ?? alert.firstEventSeq);
}
