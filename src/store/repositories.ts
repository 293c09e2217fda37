import { AlertStore } from "./alerts.js";
import { DeliveryStore } from "./deliveries.js";
import { DigestRecordStore } from "./digests.js";
import { EventStore } from "./events.js";
import { FollowUpStore } from "./followups.js";
import { MuteStore } from "./mutes.js";
import { NoticeStore } from "./notices.js";
import type { Db } from "./open.js";
import { OutboxStore } from "./outbox.js";
import { SlackPauseStore } from "./slack-pauses.js";
import { SuppressionStore } from "./suppressions.js";
import { TrailStore } from "./trail.js";

/** The stores of one database, built once by the composition root and passed to who needs them. */
export function repositories(db: Db) {
  return {
    alerts: new AlertStore(db),
    deliveries: new DeliveryStore(db),
    digests: new DigestRecordStore(db),
    events: new EventStore(db),
    followUps: new FollowUpStore(db),
    mutes: new MuteStore(db),
    notices: new NoticeStore(db),
    outbox: new OutboxStore(db),
    pauses: new SlackPauseStore(db),
    suppressions: new SuppressionStore(db),
    trail: new TrailStore(db),
  };
}

export type Repositories = ReturnType<typeof repositories>;
