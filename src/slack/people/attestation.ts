import type { Clock } from "../../clock.js";
import { scheduledTimes } from "../../digest/schedule.js";
import type { Attestation } from "../../domain/attestation.js";
import { MAX_WAIT_MS, ReadThroughWait } from "../../ingest/read-through-wait.js";
import type { Logger } from "../../logger.js";
import { ownWindow } from "../../retention/own-calls.js";
import type { Repositories } from "../../store/repositories.js";
import { DAY, HOUR } from "../../time-units.js";
import { counted } from "../../words.js";
import { Loop, type Worker } from "../../workers/worker.js";
import { attestationMessage } from "../blocks/attestation.js";
import type { Reach, SlackDirectory } from "../directory.js";
import { classifySlackError, isLasting, type SlackFailure, withAdvice } from "../failure.js";
import type { KindHandler } from "../outbox/poster-options.js";
import { PRIORITY } from "../outbox/priority.js";
import { addressNow } from "./address-now.js";
import { NotAsked } from "./attestation-not-asked.js";

const ATTESTATION_KIND = "attestation";
export const ATTESTATION_UPDATE_KIND = "attestation-update";
const WEEK = 7 * DAY;

/** A run missed while the bot was down is made up for within a day of its time, not later. */
const CATCH_UP_MS = DAY;
const TICK_MS = 60_000;
/** A weekly message not delivered within a day is not sent any more. */
export const ATTESTATION_DEADLINE_MS = DAY;
const PLACES = 10;

/**
 * What a check's outbox items are about: its id and when it was recorded, since SQLite gives the
 * id of a check deleted (retention, a clock that was ahead) to the next one, whose items would
 * otherwise be taken for the deleted one's.
 */
export const attestationRef = (row: Pick<Attestation, "orgId" | "id" | "createdAt">): string =>
  `attestation:${row.orgId}:${row.id}.${row.createdAt}`;

/**
 * Where the week that ends at `end` starts: the cron's time before it when that is about a week
 * before (a weekly cron: 167 or 169 hours across a change of the clocks, so that weeks neither
 * overlap nor leave an hour out), else 7 × 24 hours before.
 */
export function weekBefore(cron: string, timeZone: string, end: number): number {
  const before = scheduledTimes(cron, timeZone, end).previous;
  return Math.abs(end - before - WEEK) <= 2 * HOUR ? before : end - WEEK;
}

export interface AttestationOptions {
  readonly stores: Pick<
    Repositories,
    | "home"
    | "attestations"
    | "outbox"
    | "notices"
    | "pollStates"
    | "prunedBefore"
    | "followUps"
    | "activity"
    | "events"
    | "transaction"
  >;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  /**
   * Every watched organization: an account whose address another took up in any of them is not
   * asked about (see `addressNow`).
   */
  readonly orgIds: readonly string[];
  readonly cron: string;
  readonly timeZone: string;
  readonly minCalls: number;
  readonly directory: Pick<SlackDirectory, "reach">;
  /** The organization's name, when several are watched. */
  readonly organization?: () => string | undefined;
  readonly queued?: () => void;
  /**
   * When the audit log is known read (the poller's `readThrough`): the check waits for a poll
   * begun after its time, as the digests do. Without it, none waits.
   */
  readonly readThrough?: () => number | null;
  /** Asks for a poll now: the check that waits for one does not wait for the poll interval. */
  readonly pollSoon?: () => void;
}

/**
 * The weekly "acted as you" check of one organization: at its time, each person with at least
 * `minCalls` MCP calls in the week before gets one direct message with the week's figures. Each
 * person's week is recorded (unique per organization, week and account) with its message queued
 * in the outbox, in one transaction: a crash neither loses nor repeats one; a run cut short
 * resumes with the people not yet asked. The run is marked done once everybody was queued.
 * Not while the first poll reads the history, nor before a poll begun after its time has read
 * the log (for at most 15 minutes): calls made before its time and stored later would be in no
 * week, and someone they bring over `minCalls` never asked.
 */
export class WeeklyAttestation {
  private readonly log: Logger;
  private readonly read: ReadThroughWait;
  /** The week last found due while the history was read: said once. */
  private toldBackfill: number | undefined;

  constructor(private readonly o: AttestationOptions) {
    this.log = o.logger.child({ component: "attestation" });
    this.read = new ReadThroughWait({
      ...(o.readThrough && { readThrough: o.readThrough }),
      ...(o.pollSoon && { pollSoon: o.pollSoon }),
      readBefore: () => o.stores.pollStates.get(o.orgId)?.lastProcessedAt ?? null,
      logger: this.log,
      short: () =>
        `the weekly check is sent without a poll after its time: the audit log could not be read to its end in ${MAX_WAIT_MS / 60_000} minutes, so its figures may be short and calls stored later are in no week's check`,
    });
    this.worker = new Loop({
      name: "attestation",
      orgId: o.orgId,
      clock: o.clock,
      logger: o.logger,
      failure: "the weekly check could not be sent",
      every: (now) => {
        const { next } = scheduledTimes(o.cron, o.timeZone, now);
        return Math.min(TICK_MS, Math.max(0, next - now));
      },
      pass: () => this.run(),
    });
  }

  readonly worker: Worker;

  /**
   * The Slack user of an address, or why none may be asked (see `Reach`); Slack's failure when it
   * refuses the look-up for good (a scope the app lacks): nobody would be asked until the app is
   * reinstalled, so the run goes on without them. A failure that passes throws: the run is tried
   * again at the next tick.
   */
  private async userOf(email: string): Promise<Reach | SlackFailure> {
    try {
      return await this.o.directory.reach(email);
    } catch (error) {
      const failure = classifySlackError(error);
      if (!isLasting(failure)) throw error;
      return failure;
    }
  }

  /** Queues the messages of the last scheduled week, unless done or too long ago. */
  async run(): Promise<number> {
    const now = this.o.clock.now();
    this.setAsideFuture(now);
    const { previous } = scheduledTimes(this.o.cron, this.o.timeZone, now);
    if (now - previous > CATCH_UP_MS) return 0;
    const weekStart = weekBefore(this.o.cron, this.o.timeZone, previous);
    const done = `attestation:${weekStart}`;
    const { stores, orgId } = this.o;
    // Releases before this one started every week 7 × 24 hours before: a week across a change of
    // the clocks they asked about is done too, and its people asked.
    const starts = [...new Set([weekStart, previous - WEEK])];
    if (starts.some((s) => stores.notices.recorded(orgId, `attestation:${s}`).length > 0)) return 0;
    // The history not read yet: its calls are not all stored. Asked once it is, within the day.
    if (stores.pollStates.backfilling(orgId)) {
      if (this.toldBackfill !== weekStart)
        this.log.info({ weekStart }, "the weekly check waits for the history to be read");
      this.toldBackfill = weekStart;
      return 0;
    }
    const read = this.read.state(previous, now);
    if (read === "wait") return 0;
    const asked = new Set(starts.flatMap((s) => [...stores.attestations.accountsOf(orgId, s)]));
    // A retention of days deleted the week's start: its figures start at the cut, and say so.
    const deletedBefore = stores.prunedBefore.within(orgId, weekStart);
    const { since } = ownWindow(weekStart, previous, deletedBefore);
    // The week's figures and the newest call stored then, read together: the calls stored after
    // them (a poller catching up) the checks do not count.
    const { people, storedThrough } = stores.transaction(() => ({
      people: stores.home.activePeople(orgId, since, previous, this.o.minCalls),
      storedThrough: stores.events.maxSeq(orgId),
    }));
    const notes = { short: read !== "read", deletedBefore };
    let queued = 0;
    const notAsked = new NotAsked();
    let refused: { failure: SlackFailure; people: number } | undefined;
    for (const p of people) {
      if (asked.has(p.accountId)) continue;
      // Asked at the address the account has now, as the Home and the questions are: one it gave
      // up after the week (read late, after an outage) may be someone else's in Slack now.
      const held =
        p.email === null
          ? undefined
          : addressNow(
              stores,
              this.o.orgIds,
              { accountId: p.accountId, email: p.email, first: since, last: since },
              this.o.clock.now(),
            );
      if (held?.taken) {
        notAsked.add("handed-over");
        continue;
      }
      const email = held?.email;
      // Refused for good once (a scope the method lacks), it would be for everyone: not asked
      // again, which would spend Slack's limit on look-ups (and the run) for nothing.
      const reach: Reach | SlackFailure = refused?.failure.methodProblem
        ? refused.failure
        : email
          ? await this.userOf(email)
          : { not: "absent" };
      if (!("user" in reach) && !("not" in reach)) {
        refused = { failure: reach, people: (refused?.people ?? 0) + 1 };
        continue;
      }
      if ("not" in reach) {
        notAsked.add(reach.not);
        // Someone who left, most often: an AI tool acting as them all week is itself the signal.
        if (reach.not === "deactivated")
          this.log.warn(
            { weekStart, account: p.accountId, calls: p.calls },
            `weekly check: AI tools acted ${p.calls} time(s) in the week as Atlassian account ${p.accountId}, whose e-mail belongs to a deactivated Slack account: nobody is asked; if its person left, deactivate the Atlassian account or revoke its AI tools' access`,
          );
        continue;
      }
      const user = reach.user;
      const places = stores.home.places(orgId, since, previous, [p.accountId], PLACES);
      const at = this.o.clock.now();
      stores.outbox.atomically(() => {
        const id = stores.attestations.add(
          { orgId, weekStart, weekEnd: previous, slackUser: user, places, storedThrough, ...p },
          at,
        );
        const row = id === undefined ? undefined : stores.attestations.get(id);
        if (!row) return;
        stores.outbox.enqueue(
          {
            // The row's id and time: a person asked again (see `setAsideFuture`) gets a new key.
            key: `attestation:${orgId}:${weekStart}:${p.accountId}:${row.id}.${row.createdAt}`,
            kind: ATTESTATION_KIND,
            method: "chat.postMessage",
            orgId,
            ref: attestationRef(row),
            to: { user },
            payload: attestationMessage(row, this.o.organization?.(), notes),
            priority: PRIORITY.attestation,
            data: { attestation: row.id },
            deadline: at + ATTESTATION_DEADLINE_MS,
          },
          at,
        );
        queued++;
      });
    }
    stores.notices.claim(orgId, done, [], this.o.clock.now());
    const line = `weekly check: ${queued} direct message(s) queued${notAsked.said()}`;
    const facts = {
      weekStart,
      people: people.length,
      queued,
      ...notAsked.facts(),
      short: read !== "read",
    };
    if (refused)
      this.log.warn(
        { ...facts, notLookedUp: refused.people },
        `${line}; ${refused.people} person(s) not asked: Slack refused to look them up by e-mail (${withAdvice(refused.failure)})`,
      );
    else this.log.info(facts, line);
    if (queued > 0) this.o.queued?.();
    return queued;
  }

  /**
   * A run made by a clock that was ahead (since NTP stepped it back) of a week that has not
   * ended by `now` is done again when the week really ends. Its checks nobody answered are
   * forgotten and their messages still waiting dropped; an answered one stands. A run of a week
   * that had ended stands, whatever the clock said.
   */
  private setAsideFuture(now: number): void {
    const { stores, orgId, cron, timeZone } = this.o;
    // The last week ended by now starts here: a later week's run was made too early.
    const ended = weekBefore(cron, timeZone, scheduledTimes(cron, timeZone, now).previous);
    const ids = stores.outbox.atomically(() => {
      const runs = stores.notices.forgetFuture(orgId, "attestation:", ended, now);
      const forgotten = stores.attestations.forgetFuture(orgId, now);
      const why = "made by a clock that was ahead: its week is asked about again when it ends";
      for (const { id, createdAt } of forgotten) {
        stores.outbox.dropWaiting(attestationRef({ orgId, id, createdAt }), why, now);
        // Queued before items were about the id and its time.
        stores.outbox.dropWaiting(`attestation:${orgId}:${id}`, why, now);
      }
      const ids = forgotten.map((f) => f.id);
      return runs.length > 0 || ids.length > 0 ? ids : undefined;
    });
    if (ids)
      this.log.warn(
        { attestations: ids },
        `the weekly check was made by a clock that was ahead (later than now): it is made again when its week ends, asking again the ${counted(ids.length, "person", "people")} who had not answered`,
      );
  }
}

/** Once a weekly message is sent, where it is (the answer updates it). */
export function attestationHandlers(
  stores: Pick<Repositories, "attestations">,
): Record<string, KindHandler> {
  return {
    [ATTESTATION_KIND]: {
      delivered(item, sent) {
        const id = Number(item.data.attestation);
        if (Number.isInteger(id)) stores.attestations.sent(id, sent.channel, sent.ts);
      },
    },
    [ATTESTATION_UPDATE_KIND]: {},
  };
}
