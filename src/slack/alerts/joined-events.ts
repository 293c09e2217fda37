import type { Alert } from "../../domain/alert.js";
import type { AlertStore } from "../../store/alerts.js";
import type { EventStore } from "../../store/events.js";
import type { JoinedEvents } from "../blocks/growth-reply.js";

/** A growth reply names this many events at most, the latest, after how many came before them. */
const JOINED_SHOWN = 10;

/** `joined` read from the store: the events linked to the alert, as stored. */
export function joinedFrom(stores: {
  readonly alerts: Pick<AlertStore, "eventsAfter">;
  readonly events: Pick<EventStore, "bySeq">;
}): (alert: Alert, afterSeq: number) => JoinedEvents {
  return (alert, afterSeq) => {
    const { seqs, more, capped } = stores.alerts.eventsAfter(
      alert.orgId,
      alert.id,
      afterSeq,
      JOINED_SHOWN,
    );
    return { events: seqs.flatMap((seq) => stores.events.bySeq(seq) ?? []), more, capped };
  };
}
