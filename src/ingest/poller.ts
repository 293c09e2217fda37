import type { StreamPage, StreamRequest } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";
import type { Logger } from "../logger.js";
import type { EventStore } from "../store/events.js";
import type { PollState, PollStateStore } from "../store/poll-state.js";
import { DAY } from "../time-units.js";
import { Pause } from "../wait.js";
import { ActionCatalogue } from "./action-catalogue.js";
import { BackfillProgress } from "./backfill-progress.js";
import { addPage, type Batch, emptyBatch, type Written, writeBatch } from "./batch-write.js";
import { CursorTrail, CYCLE, EMPTIED, STALLED } from "./cursor-trail.js";
import { AccessCheck } from "./org-access.js";
import { PollFailures } from "./poll-failures.js";
import { atlassianNow, firstState, nextRequest, readOnByTime, timeBased } from "./poll-position.js";
import { pollerHealth } from "./poller-health.js";
import type { PollerHealth, PollerOptions, PollerSettings, PollResult } from "./poller-options.js";
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
  private readFrom: number | null = null;
  /** The last poll stopped short of the end where the next may go on at once (see SOON_MS). */
  private readOnSoon = false;
  /** Between two polls; ended early when a poll is asked for (see pollSoon). */
  private readonly pause: Pause;
  private readonly access: AccessCheck;
  private readonly failures: PollFailures;
  private readonly share: QuarantineShare;
  private readonly stuck: StuckPage;

  constructor(options: PollerOptions) {
    this.o = {
      extraMcpKeys: [],
      tools: DEFAULT_TOOLS,
      pageLimit: 200,
      batchSize: 2_000,
      ...options,
    };
    this.log = options.logger.child({ component: "poller", orgId: options.client.orgId });
    this.events = options.stores.events;
    this.states = options.stores.pollStates;
    this.catalogue = new ActionCatalogue({
      orgId: options.client.orgId,
      client: options.client,
      actions: options.stores.eventActions,
      clock: options.clock,
      log: this.log,
      extraMcpKeys: this.o.extraMcpKeys,
      tools: this.o.tools,
      refreshMs: DAY,
      intervalMs: this.o.intervalMs,
    });
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
    );
    this.share = new QuarantineShare(this.log);
    this.stuck = new StuckPage({
      log: this.log,
      clock: options.clock,
      stored: () => this.states.get(this.orgId),
      kept: {
        read: () => this.states.stuck(this.orgId),
        write: (stuck) => this.states.saveStuck(this.orgId, stuck, options.clock.now()),
      },
    });
    this.progressed = new ProgressClock(options.clock.now());
    this.pause = new Pause((ms, signal) => options.clock.sleep(ms, signal));
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
        if (this.readOnSoon) wait = Math.min(wait, SOON_MS);
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

  /** The organization's name, as the API gave it at start; undefined until then. */
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
    const { progressed, failures, share } = this;
    return pollerHealth({
      orgId: this.orgId,
      now: this.o.clock.now(),
      staleMs: 3 * this.o.intervalMs,
      stores: this.o.stores,
      progressed,
      failures,
      share,
      mcpActionKeys: this.catalogue.keys(),
      working: this.running ? "poll" : this.access.waiting ? "access" : undefined,
    });
  }

  private async poll(signal?: AbortSignal): Promise<PollResult> {
    const began = this.o.clock.now();
    // The last poll stopped on empty pages whose cursor moves on, and this one goes on from there.
    const wentOn = this.readOnSoon;
    this.readOnSoon = false;
    await this.catalogue.current(signal);
    let state = this.states.get(this.orgId) ?? this.started();
    const backfill = !state.backfillDone;
    const tally = { pages: 0, stored: 0, duplicates: 0, quarantined: 0 };
    const progress = new BackfillProgress(this.log, () => this.events.counts(this.orgId).events);
    let batch = emptyBatch(state.cursor);
    let cursorRetried = false;
    let trail = new CursorTrail(state.cursor);

    /** Commits what was read so far with the cursor after it; the unit of exactly-once. */
    const flush = async () => {
      if (batch.events.length === 0 && batch.bad.length === 0 && batch.cursor === state.cursor)
        return;
      const { next, added, quarantined } = await this.write(state, batch);
      state = next;
      tally.stored += added;
      tally.duplicates += batch.events.length - added;
      // Read again by time, the same broken items are kept once, and counted once.
      tally.quarantined += quarantined;
      this.share.stored(batch.events.length, batch.bad, quarantined);
      if (backfill) progress.committed(tally.stored, state.lastProcessedAt);
      batch = emptyBatch(state.cursor);
    };

    const first = nextRequest(state, this.o, this.o.clock.now());
    /** Where the last read by time of this poll began: one that reads on must begin later. */
    let from = first.from;
    /** A full page without a next cursor, and no read by time moving past it. */
    let cutShort = false;
    /** A page that named the cursor just asked was read past by time (once a poll). */
    let confirmed = false;
    /** Empty pages again, nothing else found, in a poll that went on from them: read on by time. */
    let emptiesChecked = false;
    let pending: Promise<StreamPage> | undefined = this.fetch(first, signal);
    /** Reads on by time from the last event stored; false when that would not move on. */
    const readOn = (): boolean => {
      const onward = readOnByTime(state, from, this.o, this.o.clock.now());
      if (!onward) return false;
      from = onward.from;
      trail = new CursorTrail(null);
      pending = this.fetch(onward, signal);
      return true;
    };
    try {
      while (pending && !signal?.aborted) {
        let page: StreamPage;
        try {
          page = await pending;
        } catch (error) {
          if (
            !(error instanceof AtlassianError && error.kind === "invalid-cursor") ||
            cursorRetried
          )
            throw error;
          cursorRetried = true;
          await flush();
          state = timeBased(state, this.o.clock.now(), this.log);
          this.states.save(state, this.o.clock.now());
          batch = emptyBatch(state.cursor);
          trail = new CursorTrail(null);
          pending = this.fetch(nextRequest(state, this.o, this.o.clock.now()), signal);
          continue;
        }
        tally.pages++;
        this.failures.accepted();
        this.failures.pageRead();
        // A cursor that moves on: ask for the next page now, while this one is stored.
        const next = trail.next(page);
        pending = next ? this.fetch({ cursor: next, limit: this.o.pageLimit }, signal) : undefined;
        if (trail.cycled) this.log.warn(CYCLE);
        if (page.items.length === 0) {
          // Cursors in a cycle: the next poll reads by time from the last event instead.
          if (page.next) batch.cursor = trail.cycled ? null : page.next;
          // The poll went on from empty pages and finds only more: the end only when a read by
          // time from the last event finds nothing new either (a quiet stretch may be followed).
          if (trail.emptied && wentOn && !emptiesChecked) {
            await flush();
            if (tally.stored + tally.duplicates + tally.quarantined === 0) {
              emptiesChecked = true;
              readOn();
            }
          }
          continue;
        }
        const context = {
          orgId: this.orgId,
          catalog: await this.catalogue.covering(page.items, signal),
          backfillUntil: state.backfillUntil,
          backfilling: backfill,
        };
        await addPage(batch, page, context, !backfill);
        // Without a cursor the next poll reads by time from the last event, minus the overlap.
        batch.cursor = trail.cycled ? null : (page.next ?? null);
        if (!pending || batch.events.length + batch.bad.length >= this.o.batchSize) await flush();
        // A page of events naming as next the cursor just asked: the end when they are repeats (a
        // stream repeats a few before its cursor, and a late event may come among them), a cursor
        // stuck on that page when not. Read on by time once: what follows is read either way.
        if (trail.unmoved && !confirmed) {
          confirmed = true;
          readOn();
          continue;
        }
        // A full page (of as many as were asked: fewer while a stuck page is read in smaller ones)
        // that names no next cursor is not the end: read on by time from its last event.
        if (page.next || page.items.length < (page.limit ?? this.o.pageLimit)) continue;
        if (!readOn()) {
          cutShort = true;
          this.log.warn(STALLED);
        }
      }
    } finally {
      await flush();
    }

    this.share.ended(this.o.clock.now());
    const result = { ...tally, backfill };
    // Empty pages whose cursor moves on, followed no further: more may come after them, and the
    // next poll goes on from the last cursor soon. When that next poll finds nothing but more of
    // them, and reading by time from the last event nothing new, they are the end (a stream may
    // name a new cursor with each empty page at its end).
    const emptiedShort =
      trail.emptied && !(emptiesChecked && tally.stored + tally.quarantined === 0);
    if (emptiedShort) {
      this.log.info(EMPTIED);
      this.readOnSoon = true;
    }
    // Cut short by cursors in a cycle, a full page read no further or empty pages followed no
    // further: not read to the end, so neither the backfill done nor the log read through (the
    // next poll reads by time, or from the last cursor).
    if (signal?.aborted || trail.cycled || cutShort || emptiedShort) return result;
    if (!state.backfillDone) {
      state = { ...state, backfillDone: true };
      this.states.save(state, this.o.clock.now());
      progress.done(tally.quarantined);
    }
    this.progressed.succeeded(this.o.clock.now());
    this.readFrom = began;
    this.failures.succeeded();
    this.log.debug(result, "poll done");
    return result;
  }

  /** Stores a batch (see writeBatch), telling after each commit that the poll made progress. */
  private write(state: PollState, batch: Batch): Promise<Written> {
    const now = this.o.clock.now();
    return writeBatch(this.o.stores, state, batch, now, (added) => {
      this.progressed.progressed(now);
      this.o.onStored?.(added);
      this.o.onCommit?.();
    });
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

  /** A page request whose failure is handled where it is awaited, not as an unhandled rejection. */
  private fetch(request: StreamRequest, signal?: AbortSignal): Promise<StreamPage> {
    // Through StuckPage: a page that does not parse is read in smaller ones, or past.
    const page = this.stuck.read(request, (asked) => this.o.client.streamPage(asked, signal));
    page.catch(() => undefined);
    return page;
  }
}
