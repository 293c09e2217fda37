import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { NoticeStore } from "../store/notices.js";
import type { OutboxStore } from "../store/outbox.js";
import { DAY } from "../time-units.js";
import { counted } from "../words.js";
import { Loop, type Worker } from "../workers/worker.js";
import { note } from "./alerts/alert-thread.js";
import { mrkdwn } from "./escape.js";
import { PRIORITY } from "./outbox/priority.js";
import type { Responders } from "./responders.js";

const CHECK_MS = 60 * 60_000;
/** Days before the expiry when the channel is warned. */
const WARN_DAYS = [14, 7, 1] as const;

/** Whole days left until `expires` (0 on the day it expires, negative after). */
export function daysLeft(expires: number, now: number): number {
  return Math.ceil((expires - now) / DAY);
}

/**
 * The warning due now, if any: the most urgent threshold reached and not yet posted, or the
 * expiry itself. Thresholds passed while the bot was down are not posted late one by one.
 */
export function dueWarning(
  expires: number,
  now: number,
  posted: ReadonlySet<number>,
): number | undefined {
  const left = daysLeft(expires, now);
  if (left <= 0) return posted.has(0) ? undefined : 0;
  const mostUrgent = WARN_DAYS.filter((days) => left <= days).at(-1);
  return mostUrgent !== undefined && !posted.has(mostUrgent) ? mostUrgent : undefined;
}

/**
 * Warns the alert channel 14, 7 and 1 days before ATLASSIAN_API_KEY_EXPIRES, and once it has
 * expired: after that the audit log can no longer be read. Each warning is recorded with its
 * message queued in the outbox, in one transaction, so a restart neither loses nor repeats one.
 */
export class KeyExpiryNotices {
  constructor(
    private readonly o: {
      notices: NoticeStore;
      outbox: OutboxStore;
      clock: Clock;
      logger: Logger;
      orgId: string;
      channel: string;
      expires: number | undefined;
      responders: Responders;
      /** The organization's name, when several are watched. */
      organization?: () => string | undefined;
      /** The other organizations the same key reads (one key given for all): [name, id]. */
      alsoOf?: () => ReadonlyArray<readonly [string | undefined, string]>;
      /** Told when a warning was queued, to send it now. */
      queued?: () => void;
    },
  ) {
    this.worker = new Loop({
      name: "key-expiry",
      orgId: this.o.orgId,
      clock: this.o.clock,
      logger: this.o.logger,
      failure: "the API key expiry warning could not be queued",
      every: () => CHECK_MS,
      pass: () => this.check(),
    });
  }

  /** A check every hour (nothing to do when no expiry date is set). */
  readonly worker: Worker;

  /** Queues the warning due now, if any. */
  check(): void {
    const { expires, orgId, notices, outbox } = this.o;
    if (expires === undefined) return;
    const now = this.o.clock.now();
    const prefix = `api-key-expires:${new Date(expires).toISOString().slice(0, 10)}:`;
    const posted = new Set(
      notices.recorded(orgId, prefix).map((notice) => Number(notice.slice(prefix.length))),
    );
    const due = dueWarning(expires, now, posted);
    if (due === undefined) return;
    const name = `${prefix}${due}`;
    // The threshold and every longer one, so none is posted after a more urgent one.
    const longer = WARN_DAYS.filter((days) => days > due).map((days) => `${prefix}${days}`);
    const queued = outbox.atomically(() => {
      if (!notices.claim(orgId, name, longer, now)) return false;
      outbox.enqueue(
        {
          key: `notice:${orgId}:${name}`,
          kind: "notice",
          method: "chat.postMessage",
          orgId,
          to: { channel: this.o.channel },
          payload: note(this.text(expires, now, due)),
          priority: due <= 1 ? PRIORITY.urgent : PRIORITY.reply,
        },
        now,
      );
      return true;
    });
    if (!queued) return;
    this.o.logger.warn({ daysLeft: daysLeft(expires, now) }, "API key expiry warning queued");
    this.o.queued?.();
  }

  private text(expires: number, now: number, due: number): string {
    const day = new Date(expires).toISOString().slice(0, 10);
    const name = this.o.organization?.();
    // A name not known yet (the organization's access check has not answered) is its id.
    const of = (label: string | undefined, id: string) =>
      label === undefined || label === id
        ? mrkdwn(id, 200)
        : `*${mrkdwn(label, 200)}* (${mrkdwn(id, 200)})`;
    const orgs = [[name, this.o.orgId] as const, ...(this.o.alsoOf?.() ?? [])];
    const key =
      name === undefined && orgs.length === 1
        ? "The Atlassian organization API key"
        : `The Atlassian organization API key of ${orgs.map(([label, id]) => of(label, id)).join(" and ")}`;
    const renew =
      "Create a new organization API key in Atlassian Administration → Settings → API keys, set ATLASSIAN_API_KEY and ATLASSIAN_API_KEY_EXPIRES, and restart mcp-activity.";
    // A date alone does not say at what hour of it the key stops working: "today" until it ends.
    if (due === 0)
      return now < expires + DAY
        ? `🔴 ${this.o.responders.mention()} ${key} expires today (${day}): once it has, the audit log can no longer be read, so nothing new is watched. ${renew}`
        : `🔴 ${this.o.responders.mention()} ${key} expired on ${day}: the audit log can no longer be read, so nothing new is watched. ${renew}`;
    const left = daysLeft(expires, now);
    const mention = due === 1 ? `${this.o.responders.mention()} ` : "";
    return `⚠️ ${mention}${key} expires on ${day}, in ${counted(left, "day")}. Then the audit log can no longer be read. ${renew}`;
  }
}
