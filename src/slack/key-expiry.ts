import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { NoticeStore } from "../store/notices.js";
import type { OutboxStore } from "../store/outbox.js";
import { DAY } from "../time-units.js";
import { counted } from "../words.js";
import { Loop, type Worker } from "../workers/worker.js";
import { note } from "./alerts/alert-thread.js";
import { mrkdwn } from "./escape.js";
import {
  daysLeft,
  dueWarning,
  isoDay,
  type KeyPolls,
  keyVerdict,
  pastDateWarning,
  WARN_DAYS,
} from "./key-expiry-dates.js";
import { PRIORITY } from "./outbox/priority.js";
import type { Responders } from "./responders.js";

const CHECK_MS = 60 * 60_000;
const FAILURE = "the API key expiry warning could not be queued";
const RENEW =
  "Create a new organization API key in Atlassian Administration → Settings → API keys, set ATLASSIAN_API_KEY and ATLASSIAN_API_KEY_EXPIRES, and restart mcp-activity.";
/** The notices about a key, each named `kind:<its fingerprint>:<expiry day>[:<days left>]`. */
const EXPIRES = "api-key-expires";
const STALE = "api-key-expiry-stale";
const REFUSED = "api-key-refused";

/**
 * Warns the alert channel 14, 7 and 1 days before ATLASSIAN_API_KEY_EXPIRES, and once it has
 * expired: after that the audit log can no longer be read. Each warning is recorded with its
 * message queued in the outbox, in one transaction, so a restart neither loses nor repeats one.
 * It is recorded by the key's fingerprint and found under any organization: one key given for
 * several is not warned of again when they are listed in another order, or one more or one fewer,
 * and a new key is warned of though the one it replaces expired on the same day.
 * Once the day is over, the polls say which it is: a key still read from after it makes the date
 * stale (said once, to no one in particular); a key refused says it expired (and, refused after
 * the date was said to be stale, that it is refused); until one of those, nothing is said.
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
      /** The key's fingerprint (`Secret.fingerprint`): which key a notice was about. */
      keyTag: string;
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
      failure: FAILURE,
      every: () => CHECK_MS,
      before: () => {
        const past = pastDateWarning(this.o.expires, this.o.clock.now());
        if (past) this.o.logger.warn(past);
      },
      pass: () => this.check(),
    });
  }

  /** A check every hour (nothing to do when no expiry date is set). */
  readonly worker: Worker;

  /** What the polls of this process said of the key, by organization (one key given for all). */
  private readonly polls = new Map<string, KeyPolls>();
  /** Whether the stale date was said (by this process or one before): not recorded again. */
  private staleSaid = false;

  /**
   * Told at the end of each poll of an organization the key reads, with the kind of failure (null
   * when it ended well; `auth`: the key refused): after the expiry day, these decide what is said.
   */
  pollEnded(failure: string | null, orgId = this.o.orgId): void {
    const now = this.o.clock.now();
    const was = this.polls.get(orgId) ?? { workedAt: null, refused: false };
    if (failure === null) this.polls.set(orgId, { workedAt: now, refused: false });
    else if (failure === "auth") this.polls.set(orgId, { ...was, refused: true });
    if (this.o.expires === undefined || now < this.o.expires + DAY) return;
    try {
      this.check();
    } catch (error) {
      this.o.logger.error({ err: error }, `${FAILURE}: ${(error as Error).message}`);
    }
  }

  /** Queues the warning due now, if any. */
  check(): void {
    const { expires } = this.o;
    if (expires === undefined) return;
    const now = this.o.clock.now();
    if (now >= expires + DAY) {
      const verdict = keyVerdict(
        expires,
        this.orgIds().map((id) => this.polls.get(id)),
      );
      if (verdict === "reads") {
        this.stale(expires, now);
        return;
      }
      // The date alone does not say the key stopped working: wait for a poll to say so.
      if (verdict === undefined) return;
      if (this.saidStale(expires)) {
        this.refused(expires, now);
        return;
      }
    }
    const day = isoDay(expires);
    const posted = new Set(this.recorded(EXPIRES, day).map((end) => Number(end.slice(1))));
    const due = dueWarning(expires, now, posted);
    if (due === undefined) return;
    // The threshold and every longer one, so none is posted after a more urgent one.
    const longer = WARN_DAYS.filter((days) => days > due).map((days) => `:${days}`);
    const text = this.text(expires, now, due);
    const priority = due <= 1 ? PRIORITY.urgent : PRIORITY.reply;
    if (!this.queue([EXPIRES, day, `:${due}`], longer, text, priority, now)) return;
    this.o.logger.warn({ daysLeft: daysLeft(expires, now) }, "API key expiry warning queued");
    this.o.queued?.();
  }

  /** Says once that the date looks stale: the key read the log after it. No one is mentioned. */
  private stale(expires: number, now: number): void {
    if (this.staleSaid) return;
    const day = isoDay(expires);
    const text = `⚠️ ATLASSIAN_API_KEY_EXPIRES looks stale: it gives ${day} for ${this.key("the")}, which still reads the audit log after that date. Set it to the key's expiry date (Atlassian Administration → Settings → API keys) and restart mcp-activity: until then no warning comes before the key expires.`;
    const queued = this.queue([STALE, day, ""], [], text, PRIORITY.reply, now);
    this.staleSaid = true;
    if (!queued) return;
    this.o.logger.warn(
      { expires: day },
      "ATLASSIAN_API_KEY_EXPIRES looks stale: the key still reads the audit log after that date",
    );
    this.o.queued?.();
  }

  /** Whether the date was said to look stale, by this process or one before. */
  private saidStale(expires: number): boolean {
    this.staleSaid ||= this.recorded(STALE, isoDay(expires)).includes("");
    return this.staleSaid;
  }

  /** Says once that the key, read after the date said to look stale, is now refused. */
  private refused(expires: number, now: number): void {
    const day = isoDay(expires);
    const text = `🔴 ${this.o.responders.mention()} ${this.key()} is refused: the audit log can no longer be read, so nothing new is watched. It read the log after ${day}, the date ATLASSIAN_API_KEY_EXPIRES gives, so it has expired since or been revoked. ${RENEW}`;
    if (!this.queue([REFUSED, day, ""], [], text, PRIORITY.urgent, now)) return;
    this.o.logger.warn(
      { expires: day },
      "API key refused after ATLASSIAN_API_KEY_EXPIRES's date: notice queued",
    );
    this.o.queued?.();
  }

  /** The organizations the key reads: this one, and the others when one key is given for all. */
  private orgIds(): string[] {
    return [this.o.orgId, ...(this.o.alsoOf?.() ?? []).map(([, id]) => id)];
  }

  /**
   * The ends (`:7`, or "" for a notice without days) of the notices of `kind` for the expiry `day`
   * recorded of this key, under any organization; and of those recorded before notices named
   * their key, which may have been about any key of that day (an earlier release recorded one key's
   * warnings under the first organization it read alone).
   */
  private recorded(kind: string, day: string): string[] {
    return [`${kind}:${this.o.keyTag}:${day}`, `${kind}:${day}`].flatMap((prefix) =>
      this.o.notices.recordedAnywhere(prefix).map((notice) => notice.slice(prefix.length)),
    );
  }

  /**
   * Records the notice `kind:day end` of this key (and the ends `alsoDone`) with its message
   * queued; false when said already.
   */
  private queue(
    [kind, day, end]: readonly [string, string, string],
    alsoDone: readonly string[],
    text: string,
    priority: number,
    now: number,
  ): boolean {
    const { orgId, notices, outbox } = this.o;
    const named = `${kind}:${this.o.keyTag}:${day}`;
    const name = `${named}${end}`;
    return outbox.atomically(() => {
      if (this.recorded(kind, day).includes(end)) return false;
      notices.claim(
        orgId,
        name,
        alsoDone.map((other) => `${named}${other}`),
        now,
      );
      outbox.enqueue(
        {
          key: `notice:${orgId}:${name}`,
          kind: "notice",
          method: "chat.postMessage",
          orgId,
          to: { channel: this.o.channel },
          payload: note(text),
          priority,
        },
        now,
      );
      return true;
    });
  }

  /** "The Atlassian organization API key", of which organizations when several are watched. */
  private key(the = "The"): string {
    const name = this.o.organization?.();
    // A name never known (the organizations API has not given it yet) is its id.
    const of = (label: string | undefined, id: string) =>
      label === undefined || label === id
        ? mrkdwn(id, 200)
        : `*${mrkdwn(label, 200)}* (${mrkdwn(id, 200)})`;
    const orgs = [[name, this.o.orgId] as const, ...(this.o.alsoOf?.() ?? [])];
    return name === undefined && orgs.length === 1
      ? `${the} Atlassian organization API key`
      : `${the} Atlassian organization API key of ${orgs.map(([label, id]) => of(label, id)).join(" and ")}`;
  }

  private text(expires: number, now: number, due: number): string {
    const day = isoDay(expires);
    const key = this.key();
    // A date alone does not say at what hour of it the key stops working: "today" until it ends.
    if (due === 0)
      return now < expires + DAY
        ? `🔴 ${this.o.responders.mention()} ${key} expires today (${day}): once it has, the audit log can no longer be read, so nothing new is watched. ${RENEW}`
        : `🔴 ${this.o.responders.mention()} ${key} expired on ${day}: the audit log can no longer be read, so nothing new is watched. ${RENEW}`;
    const left = daysLeft(expires, now);
    const mention = due === 1 ? `${this.o.responders.mention()} ` : "";
    return `⚠️ ${mention}${key} expires on ${day}, in ${counted(left, "day")}. Then the audit log can no longer be read. ${RENEW}`;
  }
}
