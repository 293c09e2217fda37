import type { StreamPage, StreamRequest } from "../atlassian/client.js";
import { monotonicNow } from "../clock.js";
import type { Logger } from "../logger.js";
import type { EventStore } from "../store/events.js";
import type { PollState, PollStateStore } from "../store/poll-state.js";
import { DAY } from "../time-units.js";
import { Pause } from "../wait.js";
import { ActionCatalogue } from "./action-catalogue.js";
import { AfterPoll } from "./after-poll.js";
import { AheadOfClock } from "./ahead-of-clock.js";
import { type Batch, type Written, writeBatch } from "./batch-write.js";
import { ChangedAgain } from "./changed-again.js";
import { EMPTIED } from "./cursor-trail.js";
import { AccessCheck } from "./org-access.js";
import { PollFailures } from "./poll-failures.js";
import { atlassianNow, beganThere, firstState, startLowered, thereNow } from "./poll-position.js";
import { PollRun, type PollRunParts } from "./poll-run.js";
import { pollerHealth } from "./poller-health.js";
import {
  BATCH_EVENTS,
  CAPPED,
  MAX_PAGES,
  type PollerHealth,
  type PollerOptions,
  type PollerSettings,
  type PollResult,
} from "./poller-options.js";
import { ProgressClock } from "./progress-clock.js";
import { QuarantineShare } from "./quarantine-share.js";
import { StuckPage } from "./stuck-page.js";
import { DEFAULT_TOOLS } from "./tools.js";

/** The pause after a poll that stopped on empty pages short of the end: the rest is read soon. */
const SOON_MS = 5_000;

/** Reads the organization's audit-log stream into the store, page by page, exactly once. */
export class Poller {
  private readonly o: PollerSettings;
  private readonly log: Logger;
  private readonly events: EventStore;
  private readonly states: PollStateStore;
  private running: Promise<PollResult> | undefined;
  private readonly catalogue: ActionCatalogue;
  private readonly progressed: ProgressClock;
  private readonly processed = new AheadOfClock();
  private readFrom: number | null = null;
  /** The last poll stopped short of the end where the next may go on at once (see SOON_MS). */
  private readOnSoon = false;
  /** The last poll ended at MAX_PAGES: the next goes on from its cursor soon. */
  private goOnSoon = false;
  /** The last poll ended on cursors in a cycle: the next reads by time from just before it. */
  private afterCycle = false;
  /** Between two polls; ended early when a poll is asked for (see pollSoon). */
  private readonly pause: Pause;
  private readonly access: AccessCheck;
  private readonly failures: PollFailures;
  private readonly share: QuarantineShare;
  private readonly stuck: StuckPage;
  /** What each poll's page loop reads through and stores with. */
  private readonly parts: PollRunParts;
  private readonly afterPoll: AfterPoll;
  private readonly changedAgain: ChangedAgain;

  constructor(options: PollerOptions) {
    this.o = {
      extraMcpKeys: [],
      tools: DEFAULT_TOOLS,
      pageLimit: 200,
      batchSize: BATCH_EVENTS,
      maxPages: MAX_PAGES,
      ...options,
    };
    this.log = options.logger.child({ component: "poller", orgId: options.client.orgId });
    this.events = options.stores.events;
    this.states = options.stores.pollStates;
    this.catalogue = new ActionCatalogue({
      orgId: options.client.orgId,
      client: options.client,
      stores: options.stores,
      clock: options.clock,
      log: this.log,
      extraMcpKeys: this.o.extraMcpKeys,
      tools: this.o.tools,
      refreshMs: DAY,
      intervalMs: this.o.intervalMs,
    });
    this.changedAgain = new ChangedAgain(this.log);
    this.afterPoll = new AfterPoll(this.o, this.catalogue, this.log, this.changedAgain);
    this.failures = new PollFailures({
      log: this.log,
      intervalMs: this.o.intervalMs,
      keyHistory: () => {
        const state = this.states.get(this.orgId);
        return {
          since: state?.backfillUntil ?? null,
          last: this.progressed.lastSuccessAt ?? state?.lastProcessedAt ?? null,
        };
      },
    });
    // A list of organizations that did not answer is asked again as the catalogue is.
    this.access = new AccessCheck(
      options.client,
      this.failures,
      this.log,
      options.clock,
      10 * this.o.intervalMs,
      {
        read: () => options.stores.orgNames.get(this.orgId),
        write: (name) => options.stores.orgNames.record(this.orgId, name, options.clock.now()),
      },
    );
    // A retry is said by what it serves: the check of the key, or the poll.
    options.client.onRetry((retry) =>
      this.access.waiting ? this.access.retried(retry) : this.failures.retried(retry),
    );
    this.share = new QuarantineShare(this.log);
    this.stuck = new StuckPage({
      log: this.log,
      clock: options.clock,
      there: () => thereNow(options.clock.now(), options.client.serverClock.aheadMs),
      stored: () => this.states.get(this.orgId),
      kept: {
        read: () => this.states.stuck(this.orgId),
        write: (stuck) => this.states.saveStuck(this.orgId, stuck, options.clock.now()),
      },
    });
    this.progressed = new ProgressClock(options.clock.now());
    this.pause = new Pause((ms, signal) => options.clock.sleep(ms, signal));
    this.parts = {
      o: this.o,
      log: this.log,
      events: this.events,
      states: this.states,
      lateness: options.stores.lateness,
      catalogue: this.catalogue,
      failures: this.failures,
      share: this.share,
      fetch: (request, signal) => this.fetch(request, signal),
      write: (state, batch) => this.write(state, batch),
      there: () => thereNow(options.clock.now(), options.client.serverClock.aheadMs),
    };
  }

  private get orgId(): string {
    return this.o.client.orgId;
  }

  /** Polls until `signal` aborts: one poll at a time, the pause counted from the end of the last. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let wait = this.o.intervalMs;
      try {
        if (this.access.due) await this.checkAccess(signal);
        const result = await this.pollOnce(signal);
        if (this.readOnSoon || this.goOnSoon) wait = Math.min(wait, SOON_MS);
        this.o.onPoll?.(result);
      } catch (error) {
        if (signal.aborted) break;
        wait = this.failures.failed(error, this.o.clock.now());
        this.o.onPoll?.({ kind: this.failures.lastError?.kind ?? "internal" });
      }
      await this.pause.for(wait, signal);
    }
  }

  /**
   * Polls now rather than at the end of the pause: a digest due waits for the log to be read
   * past its time, and POLL_INTERVAL_SECONDS may be hours.
   */
  pollSoon(): void {
    this.pause.end();
  }

  /** The organization's name, as the API last gave it (before a restart too); undefined until then. */
  get orgName(): string | undefined {
    return this.access.orgName;
  }

  /** Asks which organizations the key sees (see AccessCheck), keeping the organization's name. */
  checkAccess(signal?: AbortSignal): Promise<void> {
    return this.access.check(signal);
  }

  /** One poll: to the end of the stream, committing each page with its cursor. Never two at once. */
  pollOnce(signal?: AbortSignal): Promise<PollResult> {
    this.running ??= this.poll(signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** When the last poll that read the stream to its end began (all processed by then is stored). */
  readThrough(): number | null {
    return this.readFrom;
  }

  health(): PollerHealth {
    const { progressed, processed, failures, share } = this;
    return pollerHealth({
      orgId: this.orgId,
      now: this.o.clock.now(),
      monotonic: monotonicNow(this.o.clock),
      staleMs: 3 * this.o.intervalMs,
      stores: this.o.stores,
      progressed,
      processed,
      failures,
      share,
      mcpActionKeys: this.catalogue.keys(),
      working: this.running
        ? { what: "poll", retried: failures.retriedInPoll }
        : this.access.waiting
          ? { what: "access", retried: this.access.retrying }
          : undefined,
    });
  }

  private async poll(signal?: AbortSignal): Promise<PollResult> {
    const began = this.o.clock.now();
    this.failures.pollBegan();
    // The last poll stopped on empty pages whose cursor moves on, and this one goes on from there.
    const wentOn = this.readOnSoon;
    const afterCycle = this.afterCycle;
    this.readOnSoon = false;
    this.afterCycle = false;
    await this.catalogue.current(signal);
    const state = this.resumed() ?? this.started();
    const at = { wentOn, afterCycle, began: beganThere(began, this.o.client.serverClock.aheadMs) };
    const run = new PollRun(this.parts, state, at, signal);
    const result = await run.read();
    this.afterCycle = run.cycled;
    this.share.ended(this.o.clock.now());
    if (run.emptiedShort) {
      this.log.info(EMPTIED);
      this.readOnSoon = true;
    }
    if (run.capped) this.log.info(CAPPED);
    this.goOnSoon = run.capped;
    // Not read to the end: neither the backfill done nor the log read through.
    if (signal?.aborted || !run.readToEnd) return result;
    if (!run.state.backfillDone) {
      this.states.save({ ...run.state, backfillDone: true }, this.o.clock.now());
      run.progress.done(result.quarantined);
    }
    this.progressed.succeeded(this.o.clock.now());
    this.readFrom = began;
    this.states.saveReadThrough(this.orgId, began);
    this.failures.succeeded();
    this.log.debug(result, "poll done");
    await this.afterPoll.run(signal);
    return result;
  }

  /**
   * Stores a batch (see writeBatch), telling after each commit that the poll made progress, and
   * keeping the newest processing time it reached for the lag (read on a clock stepped back later).
   */
  private async write(state: PollState, batch: Batch): Promise<Written> {
    const now = this.o.clock.now();
    const monotonic = monotonicNow(this.o.clock);
    const written = await writeBatch(this.o.stores, state, batch, now, (added) => {
      this.progressed.progressed(now);
      this.o.onStored?.(added);
      this.o.onCommit?.();
    });
    this.changedAgain.note(written.changed);
    const newest = written.next.lastProcessedAt;
    if (newest !== null) this.processed.note(newest, now, monotonic);
    return written;
  }

  /**
   * The first poll's state, saved: where the backfill starts, and where its history ends, by
   * Atlassian's clock as the answers so far (the catalogue's, the organizations') date it.
   */
  private started(): PollState {
    const now = this.o.clock.now();
    const until = atlassianNow(now, this.o.client.serverClock.aheadMs, this.log);
    const state = firstState(this.orgId, this.o.backfillDays, until, this.log);
    this.states.save(state, now);
    return state;
  }

  /** The stored poll state, its backfill started later when BACKFILL_DAYS was lowered (see startLowered). */
  private resumed(): PollState | undefined {
    const stored = this.states.get(this.orgId);
    const lowered = stored && startLowered(stored, this.o.backfillDays, this.log);
    if (lowered) this.states.save(lowered, this.o.clock.now());
    return lowered || stored;
  }

  /** A page request whose failure is handled where it is awaited, not as an unhandled rejection. */
  private fetch(request: StreamRequest, signal?: AbortSignal): Promise<StreamPage> {
    // Through StuckPage: a page that does not parse is read in smaller ones, or past.
    const page = this.stuck.read(request, (asked) => this.o.client.streamPage(asked, signal));
    // A wait the API asks for is kept even when the poll then fails otherwise (a lock met on commit).
    page.catch((error: unknown) => this.failures.refused(error, this.o.clock.now()));
    return page;
  }
}
