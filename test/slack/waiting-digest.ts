import { buildDigest } from "../../src/digest/build.js";
import { queueDigest } from "../../src/slack/digest-outbox.js";
import { DAY } from "../../src/time-units.js";
import { digestData } from "../digest/fixtures.js";
import type { slackRig } from "./setup.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

/**
 * Queues for `channel` a daily digest too long for one message: the channel message, its
 * continuation in the thread, and the chart in the thread. Returns how many replies it has.
 */
export function queueLongDigest(r: Awaited<ReturnType<typeof slackRig>>, channel: string): number {
  const many = (mark: string) =>
    Array.from({ length: 60 }, (_, i) => ({ title: `${mark.repeat(150)} ${i}` }));
  const message = buildDigest(
    digestData({ settingsChanges: many("Ω"), appAuthorizations: many("Ψ") }),
    { kind: "daily", late: false },
  );
  const now = r.clock.now();
  r.stores.digests.create("org-1", "daily", now - DAY, now, false, message, PNG, now);
  const record = r.stores.digests.byPeriod("org-1", "daily", now);
  if (!record) throw new Error("no digest");
  queueDigest(r.stores.outbox, record, channel, now);
  return message.replies.length;
}
