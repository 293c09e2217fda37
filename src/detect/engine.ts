import type { Clock } from "../clock.js";
import type { ActionInfo, StoredEvent } from "../domain/event.js";
import type { Logger } from "../logger.js";
import type { Repositories } from "../store/repositories.js";
import { factsFor } from "./facts.js";
import {
  type AlertSink,
  groupFinding,
  onceGroup,
  onceState,
  onceSubject,
  quietSubject,
  windowMs,
} from "./grouping.js";
import { type Judgement, judge, neededFacts } from "./judge.js";
import { takeJudgeAgain } from "./judge-again.js";
import { LiveSink } from "./live-sink.js";
import { quietedBy } from "./quieted-by.js";
import { type RulesFailure, RulesFailures } from "./rules-failure.js";
import type { RulesFile } from "./rules-file.js";
import type { FactKind } from "./types.js";

/** The stores the rules read and write, and the transaction a batch runs in. */
export type EngineStores = Pick<
  Repositories,
  | "events"
  | "facts"
  | "alerts"
  | "eventActions"
  | "judgeAgain"
  | "mutes"
  | "suppressions"
  | "subjects"
  | "transaction"
>;

export interface EngineOptions {
  readonly stores: EngineStores;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  readonly config: RulesFile;
  readonly batchSize?: number;
  /** Runs inside each batch's transaction just before it commits (tests use it to crash there). */
  readonly beforeCommit?: () => void;
}

export interface RunResult {
  readonly evaluated: number;
  readonly raised: number;
  readonly grown: number;
}

/**
 * Runs the rules over newly stored live events (and those reclassified as MCP calls after they
 * were judged, see takeJudgeAgain): reads the facts each needs, groups findings into
 * alerts, and writes them with the position reached in one transaction, so a crash neither loses
 * nor doubles an alert.
 */
export class DetectionEngine {
  /** Where live alerts go: the alerts table and the subjects already alerted about. */
  private readonly sink: LiveSink;
  private readonly needs: Set<FactKind>;
  private readonly log: Logger;
  private readonly failures: RulesFailures;
  /**
   * The events a slice read but had no time to judge, and the position they follow: the next
   * slice starts with them instead of reading them again (a slice's time would otherwise go to
   * reading events it then puts back).
   */
  private ahead: { after: number; events: StoredEvent[]; classifications: string } | undefined;

  constructor(private readonly o: EngineOptions) {
    this.sink = new LiveSink(o.stores);
    this.needs = neededFacts(o.config);
    this.log = o.logger.child({ component: "detect", orgId: o.orgId });
    this.failures = new RulesFailures(this.log, o.clock);
  }

  /** Evaluates everything stored since the last run. */
  run(): RunResult {
    return this.runBatches(this.o.batchSize ?? 500, Number.POSITIVE_INFINITY).total;
  }

  /**
   * Evaluates at most one batch of `limit` events (one transaction) and says whether more wait:
   * a running bot evaluates a slice at a time, so that a long history of each person to look
   * up (the facts) never holds the event loop for long; `enough` ends the slice early, after
   * any event (the bot bounds a slice's time with it). Errors as with `runSafely`.
   */
  runSlice(
    limit: number,
    enough: () => boolean = () => false,
  ): { result: RunResult | undefined; more: boolean } {
    try {
      const { total, more } = this.runBatches(limit, 1, enough);
      this.failures.ran();
      return { result: total, more };
    } catch (error) {
      this.failures.failed(error);
      return { result: undefined, more: false };
    }
  }

  private runBatches(
    limit: number,
    maxBatches: number,
    enough: () => boolean = () => false,
  ): { total: RunResult; more: boolean } {
    const { stores, orgId, clock } = this.o;
    const { alerts, events } = stores;
    const catalog = stores.eventActions.catalog(orgId);
    const total = { evaluated: 0, raised: 0, grown: 0 };
    let more = false;
    for (let batches = 1; ; batches++) {
      const done = this.sink.within(stores.transaction, () => {
        if (batches === 1) this.quietingSetAhead(clock.now());
        const after = alerts.lastEvaluated(orgId) ?? 0;
        const judge = (event: StoredEvent, judgedUpTo?: number) => {
          const now = this.o.clock.now();
          const counts = this.process(event, catalog, this.sink, now, judgedUpTo);
          total.raised += counts.raised;
          total.grown += counts.grown;
          total.evaluated++;
        };
        // An event an action newly listed as MCP made an MCP call reaches the rules now: its alert
        // is late news when it happened over an hour ago, and what the rules judged before it
        // counts as before it (a person's first call is not said twice).
        const again = (event: StoredEvent) =>
          judge({ ...event, ingestedAt: Math.max(event.ingestedAt, this.o.clock.now()) }, after);
        // Reclassified under it: what the slice read ahead is read again.
        if (takeJudgeAgain(stores, orgId, after, limit, again, enough)) this.ahead = undefined;
        // Then at least one live event, whatever the queue took: a long queue never holds new calls back.
        const classifications = events.classifications();
        const { events: batch, end } = this.read(after, limit);
        let evaluated = 0;
        for (const event of batch) {
          judge(event);
          evaluated++;
          if (evaluated < batch.length && enough()) break;
        }
        const whole = evaluated === batch.length;
        // The last live events judged: everything else up to the newest row is backfilled history.
        const upTo = whole && end ? events.maxSeq(orgId) : (batch[evaluated - 1]?.seq ?? after);
        if (upTo > after) alerts.setLastEvaluated(orgId, upTo, clock.now());
        this.o.beforeCommit?.();
        this.ahead = whole
          ? undefined
          : { after: upTo, events: batch.slice(evaluated), classifications };
        return whole && end;
      });
      if (done) break;
      if (batches >= maxBatches) {
        more = true;
        break;
      }
    }
    // A running bot judges events a slice at a time: an alert only grown is not news to log.
    if (total.raised > 0)
      this.log.info(total, `rules: ${total.raised} alert(s) raised, ${total.grown} grown`);
    else if (total.grown > 0) this.log.debug(total, `rules: ${total.grown} alert(s) grown`);
    return { total, more };
  }

  /**
   * A mute or suppression covers what happens after it was set: one set by a clock that was
   * ahead (since NTP stepped it back) would cover nothing until that clock's time came (a mute,
   * then the wrong hours).
   */
  private quietingSetAhead(now: number): void {
    const { stores, orgId } = this.o;
    const moved = stores.mutes.setAheadToNow(orgId, now);
    if (moved > 0)
      this.log.info(
        { mutes: moved },
        `${moved} mute(s) set by a clock that was ahead (later than now) start now, each as long as it was set for`,
      );
    const added = stores.suppressions.setAheadToNow(orgId, now);
    if (added > 0)
      this.log.info(
        { suppressions: added },
        `${added} suppression(s) added by a clock that was ahead (later than now) hold from now`,
      );
  }

  /**
   * The next live events after `after`, in order, and whether they are the last ones stored:
   * those the last slice read and left, if it left off at `after` and no event may have been
   * classified again since (the only change a stored event sees; new ones come after every stored
   * one), else up to `limit` read from the store. Each read costs ~0.2 ms whatever it returns, so
   * what is left is not topped up: a slice judges it, the next one reads.
   */
  private read(after: number, limit: number): { events: StoredEvent[]; end: boolean } {
    const { ahead } = this;
    const left =
      ahead?.after === after && ahead.classifications === this.o.stores.events.classifications()
        ? ahead.events
        : [];
    this.ahead = undefined;
    if (left.length > 0) return { events: left.slice(0, limit), end: false };
    const events = this.o.stores.events.liveAfter(this.o.orgId, after, limit);
    return { events, end: events.length < limit };
  }

  /** `run()` for callers that must not fail: an error is logged and kept for health; the next run catches up. */
  runSafely(): RunResult | undefined {
    try {
      const result = this.run();
      this.failures.ran();
      return result;
    } catch (error) {
      this.failures.failed(error);
      return undefined;
    }
  }

  /** The last failure of the rules, while they keep failing. */
  failure(): RulesFailure | null {
    return this.failures.current();
  }

  /** Replays events through the rules into `sink` (no position is moved). */
  replay(events: readonly StoredEvent[], sink: AlertSink): RunResult {
    const catalog = this.o.stores.eventActions.catalog(this.o.orgId);
    const total = { evaluated: 0, raised: 0, grown: 0 };
    for (const event of events) {
      const counts = this.process(event, catalog, sink);
      total.evaluated++;
      total.raised += counts.raised;
      total.grown += counts.grown;
    }
    return total;
  }

  private process(
    event: StoredEvent,
    catalog: ReadonlyMap<string, ActionInfo>,
    sink: AlertSink,
    /** When it is judged live; a replay judges each event as when it was stored. */
    judgedAt?: number,
    /** An event judged again: every event up to this seq was judged (see FactStore.seenBefore). */
    judgedUpTo?: number,
  ): { raised: number; grown: number } {
    const { config, stores } = this.o;
    const counts = { raised: 0, grown: 0 };
    const history = stores.facts;
    const facts = factsFor(event, { catalog, needs: this.needs, config, history, judgedUpTo });
    for (const judged of judge(event, facts, config)) {
      const about = quietSubject(event, facts, judged);
      const muted =
        judged.suppressedBy || judged.aboutOrganization
          ? undefined
          : quietedBy(
              stores,
              event,
              { ruleId: judged.ruleId, subject: about },
              judgedAt ?? event.ingestedAt,
            );
      const mode = config.rules[judged.ruleId]?.mode ?? { kind: "alert" };
      const window = windowMs(mode, config.groupingWindowMinutes);
      let finding: Judgement = muted ? { ...judged, suppressedBy: muted, notify: false } : judged;
      if (mode.kind === "digest") finding = { ...finding, notify: false };
      const subject = mode.kind === "once" ? onceSubject(event, facts, finding) : undefined;
      const group = subject === undefined ? undefined : onceGroup(event, facts, finding, subject);
      const once =
        mode.kind === "once" && subject !== undefined && group !== undefined && finding.notify
          ? onceState(event, finding, subject, mode, { sink, windowMs: window, group })
          : undefined;
      if (once?.quiet) finding = { ...finding, notify: false, suppressedBy: once.quiet };
      const { id, grown, tells } = groupFinding(event, finding, {
        sink,
        mode,
        windowMs: window,
        // A replay dates what it raises when the call was processed: when a bot running then
        // would have read it (the history fetched on first start was all stored at once).
        now: judgedAt ?? event.processedAt ?? event.time,
        ...(group === undefined ? {} : { subject: group }),
        ...(about === undefined ? {} : { about }),
        ...(once?.renews === undefined ? {} : { renews: once.renews }),
      });
      if (grown) counts.grown++;
      else counts.raised++;
      // The alert the finding brings to the channel tells, in whatever mode (a rule switched to
      // `once` counts from it), from the call that brought it there: a finding that grows an alert already told
      // keeps its subject's time (onceDays count from it), and a new subject that grew its
      // group's alert (a spike past midnight UTC) alerts when it comes again after that alert.
      if (tells !== undefined)
        sink.subjects.record(
          event.orgId,
          finding.ruleId,
          subject ?? onceSubject(event, facts, finding),
          id,
          tells,
        );
    }
    return counts;
  }
}
