import type { StreamPage, StreamRequest } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";
import type { NormalizedEvent } from "../domain/event.js";
import type { Logger } from "../logger.js";
import type { EventStore } from "../store/events.js";
import type { LatenessStore } from "../store/lateness.js";
import type { PollState, PollStateStore } from "../store/poll-state.js";
import type { ActionCatalogue } from "./action-catalogue.js";
import { BackfillProgress } from "./backfill-progress.js";
import { addPage, type Batch, emptyBatch, type Written } from "./batch-write.js";
import type { McpCatalog } from "./classify.js";
import { CursorTrail, CYCLE, STALLED } from "./cursor-trail.js";
import { reclassify } from "./normalize.js";
import { OldestRefused, startMoved } from "./oldest-refused.js";
import type { PollFailures } from "./poll-failures.js";
import { nextRequest, overlapAfter, readOnByTime, timeBased } from "./poll-position.js";
import type { PollerSettings, PollResult } from "./poller-options.js";
import type { QuarantineShare } from "./quarantine-share.js";

/** What one poll's page loop works with: the Poller's parts it reads through and stores with. */
export interface PollRunParts {
  readonly o: PollerSettings;
  readonly log: Logger;
  readonly events: EventStore;
  readonly states: PollStateStore;
  readonly lateness: LatenessStore;
  readonly catalogue: ActionCatalogue;
  readonly failures: PollFailures;
  readonly share: QuarantineShare;
  /** A page request whose failure is handled where it is awaited. */
  readonly fetch: (request: StreamRequest, signal?: AbortSignal) => Promise<StreamPage>;
  /** Now by Atlassian's clock (see thereNow): reads by time are placed by it. */
  readonly there: () => number;
  /** Stores a batch with the poll state after it, in one transaction. */
  readonly write: (state: PollState, batch: Batch) => Promise<Written>;
}

/**
 * One poll's pages, read from the stored cursor (or time) to the end of the stream: each page
 * asked for while the last is stored, committed in batches with the cursor after them.
 */
export class PollRun {
  state: PollState;
  readonly backfill: boolean;
  readonly tally = { pages: 0, stored: 0, duplicates: 0, quarantined: 0 };
  readonly progress: BackfillProgress;
  private batch: Batch;
  private trail: CursorTrail;
  private cursorRetried = false;
  /** Where the last read by time of this poll began: one that reads on must begin later. */
  private from: number | undefined;
  /** A full page without a next cursor, and no read by time moving past it. */
  private cutShort = false;
  /** Ended at its most pages (see MAX_PAGES), with a cursor to go on from. */
  capped = false;
  /** A page that named the cursor just asked was read past by time (once a poll). */
  private confirmed = false;
  /**
   * Empty pages again, in a poll that went on from them, were followed by a read by time from the
   * last event: how many events it stored that were processed before the poll began (and broken
   * items it quarantined); undefined before that read.
   */
  private missed: number | undefined;
  /** The page asked last, and what asked it. */
  private pending: Promise<StreamPage> | undefined;
  private asking: StreamRequest | undefined;
  private readonly oldest: OldestRefused;
  /** The catalogue the batch's events were read with. */
  private readWith: McpCatalog | undefined;

  /**
   * `wentOn`: the last poll stopped on empty pages whose cursor moves on, and this one goes on;
   * `afterCycle`: the last poll ended on cursors in a cycle; `began`: when this poll began, by
   * Atlassian's clock, less the moments the stream may take to show an event (see beganThere).
   */
  constructor(
    private readonly p: PollRunParts,
    state: PollState,
    private readonly at: {
      readonly wentOn: boolean;
      readonly afterCycle: boolean;
      readonly began: number;
    },
    private readonly signal?: AbortSignal,
  ) {
    this.state = state;
    this.backfill = !state.backfillDone;
    this.progress = new BackfillProgress(p.log, () => p.events.counts(state.orgId).events);
    this.batch = emptyBatch(state.cursor);
    this.trail = new CursorTrail(state.cursor);
    this.oldest = new OldestRefused(p.log);
    const first = nextRequest(
      state,
      p.o,
      this.p.there(),
      overlapAfter(state, at.afterCycle, p.lateness),
    );
    this.from = first.from;
    this.ask(first);
  }

  /** Reads every page, committing what was read even when a page fails. */
  async read(): Promise<PollResult> {
    try {
      while (this.pending && !this.signal?.aborted) {
        const page = await this.nextPage();
        if (page) await this.take(page);
      }
    } finally {
      await this.flush();
    }
    return { ...this.tally, backfill: this.backfill };
  }

  /**
   * Empty pages whose cursor moves on, followed no further: more may come after them, and the
   * next poll goes on from the last cursor soon. When that next poll comes to more of them, and
   * reading by time from the last event finds nothing new that was processed before it began,
   * they are the end (a stream may name a new cursor with each empty page at its end; in a busy
   * organization the poll finds new events before them, and the read by time events processed
   * while it runs).
   */
  get emptiedShort(): boolean {
    return this.trail.emptied && this.missed !== 0;
  }

  /**
   * Read to the end: not cut short by cursors in a cycle, a full page read no further, empty
   * pages followed no further or its most pages (the next poll reads by time, or from the last cursor).
   */
  get readToEnd(): boolean {
    return !this.trail.cycled && !this.cutShort && !this.emptiedShort && !this.capped;
  }

  /** Ended on cursors that went round in a cycle. */
  get cycled(): boolean {
    return this.trail.cycled;
  }

  /** The next page; undefined when an invalid cursor was replaced by a read by time. */
  private async nextPage(): Promise<StreamPage | undefined> {
    const { o, log, states } = this.p;
    try {
      return await (this.pending as Promise<StreamPage>);
    } catch (error) {
      const later = this.oldest.later(error, this.asking, this.p.there());
      if (later) {
        const moved = startMoved(this.state, later.from);
        if (moved) states.save(moved, o.clock.now());
        this.state = moved ?? this.state;
        this.from = later.from;
        this.ask(later);
        return undefined;
      }
      const invalid = error instanceof AtlassianError && error.kind === "invalid-cursor";
      if (!invalid || this.cursorRetried) throw error;
      this.cursorRetried = true;
      await this.flush();
      const overlap = overlapAfter(
        { ...this.state, cursor: null },
        this.at.afterCycle,
        this.p.lateness,
      );
      this.state = timeBased(this.state, this.p.there(), log, overlap);
      states.save(this.state, o.clock.now());
      this.batch = emptyBatch(this.state.cursor);
      this.trail = new CursorTrail(null);
      this.ask(nextRequest(this.state, o, this.p.there(), overlap));
      return undefined;
    }
  }

  private async take(page: StreamPage): Promise<void> {
    const { o, failures, log } = this.p;
    this.tally.pages++;
    failures.accepted();
    failures.pageRead();
    // A cursor that moves on: ask for the next page now, while this one is stored.
    const asked = this.trail.current;
    this.capped = this.tally.pages >= o.maxPages && page.next !== undefined;
    const next = this.capped ? undefined : this.trail.next(page);
    if (next) this.ask({ cursor: next, limit: o.pageLimit });
    else this.pending = undefined;
    if (this.trail.cycled) log.warn(CYCLE);
    if (page.items.length === 0) return this.takeEmpty(page);
    const catalog = await this.p.catalogue.covering(page.items, this.signal);
    // Fetched again for this page: the events read before it and not stored yet are read with it.
    if (this.readWith !== undefined && catalog !== this.readWith) {
      const { events } = this.batch;
      events.forEach((event, i) => {
        events[i] = reclassify(event, catalog);
      });
    }
    this.readWith = catalog;
    const context = {
      orgId: this.state.orgId,
      catalog,
      backfillUntil: this.state.backfillUntil,
      backfilling: this.backfill,
    };
    await addPage(this.batch, page, context, !this.backfill);
    // A page of events that names no next cursor keeps the one it was asked with: the next poll
    // asks it again (a page read twice) for what arrived since, rather than reading by time,
    // which may leave out the events that happened long before they were processed (see
    // docs/architecture.md). Without either it reads by time from the last event, less the overlap.
    this.batch.cursor = this.trail.cycled ? null : (page.next ?? asked);
    const events = this.batch.events.length + this.batch.bad.length;
    if (!this.pending || events >= o.batchSize) await this.flush();
    // A page of events naming as next the cursor just asked: the end when they are repeats (a
    // stream repeats a few before its cursor, and a late event may come among them), a cursor
    // stuck on that page when not. Read on by time once: what follows is read either way.
    if (this.trail.unmoved && !this.confirmed) {
      this.confirmed = true;
      this.readOn();
      return;
    }
    // A full page (of as many as were asked: fewer while a stuck page is read in smaller ones)
    // that names no next cursor is not the end: read on by time from its last event.
    if (page.next || page.items.length < (page.limit ?? o.pageLimit)) return;
    if (!this.readOn()) {
      this.cutShort = true;
      log.warn(STALLED);
    }
  }

  private async takeEmpty(page: StreamPage): Promise<void> {
    // Cursors in a cycle: the next poll reads by time from the last event instead.
    if (page.next) this.batch.cursor = this.trail.cycled ? null : page.next;
    // The poll went on from empty pages and comes to more: the end only when a read by time from
    // the last event finds nothing new processed before the poll began (a quiet stretch may be
    // followed, and the cursors would have missed what it finds).
    if (!this.trail.emptied || !this.at.wentOn || this.missed !== undefined) return;
    await this.flush();
    this.missed = 0;
    this.readOn();
  }

  /**
   * Reads on by time from the last event stored; false when that would not move on. Ten minutes
   * back, not as long as events come late: this poll has read the stream to there, and some
   * streams are read on by time every poll (a cursor that does not move on at their end).
   */
  private readOn(): boolean {
    const { o } = this.p;
    const onward = readOnByTime(this.state, this.from, o, this.p.there());
    if (!onward) return false;
    this.from = onward.from;
    this.trail = new CursorTrail(null);
    this.ask(onward);
    return true;
  }

  private ask(request: StreamRequest): void {
    this.asking = request;
    this.pending = this.p.fetch(request, this.signal);
  }

  /** Commits what was read so far with the cursor after it; the unit of exactly-once. */
  private async flush(): Promise<void> {
    const { batch, state } = this;
    if (batch.events.length === 0 && batch.bad.length === 0 && batch.cursor === state.cursor)
      return;
    if (this.missed === undefined) {
      await this.commit(batch);
      return;
    }
    // The read by time after empty pages: the events processed before the poll began are
    // committed first, to count those that are new (the page's order, by processing time, kept).
    const before = (e: NormalizedEvent) => (e.processedAt ?? e.time) <= this.at.began;
    const early = batch.events.filter(before);
    if (early.length > 0 && early.length < batch.events.length) {
      this.missed += await this.commit({ events: early, bad: [], cursor: state.cursor });
      const late = batch.events.filter((e) => !before(e));
      this.missed += await this.commit({ ...batch, events: late }, false);
    } else {
      this.missed += await this.commit(batch, early.length > 0);
    }
  }

  /**
   * Commits a batch with the cursor after it (see flush); how many events it stored that were new
   * when `counted`, and broken items quarantined.
   */
  private async commit(batch: Batch, counted = true): Promise<number> {
    const { state } = this;
    const { next, added, quarantined } = await this.p.write(state, batch);
    this.state = next;
    this.tally.stored += added;
    this.tally.duplicates += batch.events.length - added;
    // Read again by time, the same broken items are kept once, and counted once.
    this.tally.quarantined += quarantined;
    this.p.share.stored(batch.events.length, batch.bad, quarantined);
    if (this.backfill) this.progress.committed(this.tally.stored, next.lastProcessedAt);
    this.batch = emptyBatch(next.cursor);
    return (counted ? added : 0) + quarantined;
  }
}
