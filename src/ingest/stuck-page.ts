import { DEFAULT_PAGE_LIMIT, type StreamPage, type StreamRequest } from "../atlassian/client.js";
import { AtlassianError, UnparsedAnswer } from "../atlassian/errors.js";
import { lastItem, UnreadableItem } from "../atlassian/unparsed-page.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { PollState, StuckPlace as Stuck } from "../store/poll-state.js";
import { oldestFrom } from "./poll-position.js";

/** Polls in a row that fail at one place of the stream before smaller pages are asked there. */
export const PATIENCE = 3;

/** Pages in a row that parse at a smaller size before twice as many items are asked again. */
const GROW_AFTER = 4;

type Get = (request: StreamRequest) => Promise<StreamPage>;

/**
 * A place of the stream whose page answers JSON that does not parse and cannot be read item by
 * item (an answer a gateway cuts at a size, say). Asked again (once, at once) it answers the
 * same: the log would be read no further, for good. After PATIENCE polls failing there (counted
 * in the store, across restarts), smaller pages are asked (half as many items each time, down to
 * one) to read up to the item that breaks it, and the pages after start at the size that last
 * parsed. An item that does not parse even asked alone, twice, is quarantined as far as it came
 * and read past by time (from just after it was processed, never before what is stored) once the
 * page after it parses: when that fails too, or its processedAt did not come whole, nothing is
 * skipped. Each failure says where the log is stuck, since when, and what to do.
 */
export class StuckPage {
  private stuck: Stuck | null;
  /** The smaller page size that last parsed, and pages in a row at it: the next pages start there. */
  private fits: { limit: number; good: number } | null = null;

  constructor(
    private readonly o: {
      readonly log: Logger;
      readonly clock: Clock;
      /** Now by Atlassian's clock (see thereNow), which the oldest time the log keeps moves with. */
      readonly there: () => number;
      /** Where the store stands: the log is never read on from before it. */
      readonly stored: () => Pick<PollState, "cursor" | "lastProcessedAt"> | undefined;
      /** The stuck place kept in the store: polls failing there are counted across restarts. */
      readonly kept: { read(): Stuck | undefined; write(stuck: Stuck | null): void };
    },
  ) {
    this.stuck = o.kept.read() ?? null;
  }

  /** The page `request` asks for, read with `get` (in smaller pages when stuck there). */
  async read(request: StreamRequest, get: Get): Promise<StreamPage> {
    const asked = this.o.clock.now();
    const oldest =
      request.cursor === undefined && (request.from ?? asked) <= oldestFrom(this.o.there());
    // The oldest time the log keeps moves on with the clock: a page from it is one place.
    const key = request.cursor ?? (oldest ? "from the oldest" : `from ${request.from}`);
    const full = request.limit ?? DEFAULT_PAGE_LIMIT;
    let limit =
      this.stuck?.key === key && this.shrinking
        ? this.stuck.limit
        : Math.min(full, this.fits?.limit ?? full);
    /** The page after an item that does not parse alone, once read. */
    let after: StreamPage | undefined;
    /** Asked once more at once before the poll fails: an answer cut on the way once reads then. */
    let again = false;
    for (;;) {
      try {
        const page = await get({ ...request, limit });
        this.worked(limit, full);
        return limit < full ? { ...page, limit } : page;
      } catch (error) {
        if (!(error instanceof UnparsedAnswer)) throw error;
        if (!this.shrinking && !again) {
          again = true;
          this.o.log.debug(
            { characters: error.text.length },
            `${error.message}; asking again at once`,
          );
          continue;
        }
        const stuck = this.at(key, oldest ? OLDEST : placeOf(request), full, asked);
        if (!this.shrinking) {
          stuck.polls++;
          if (stuck.polls === PATIENCE)
            this.o.log.warn(
              { where: stuck.where, since: iso(stuck.since) },
              `the audit log's page at ${stuck.where} has answered JSON that does not parse for ${PATIENCE} polls: the next asks smaller pages there, to read up to the item that breaks it`,
            );
          throw this.failure(
            stuck,
            error,
            `; after ${PATIENCE} polls failing so, smaller pages are asked there`,
          );
        }
        if (limit > 1) {
          limit = Math.ceil(limit / 2);
          stuck.limit = limit;
          continue;
        }
        const item = lastItem(error.text);
        const from = item && this.readOnFrom(request, item.at);
        if (item === undefined || from === undefined) {
          stuck.polls++;
          throw this.failure(stuck, error, `, even one item at a time, and ${NO_TIME}: ${CUT}`);
        }
        if (after === undefined) {
          after = await this.pageAfter(from, get);
          if (after === undefined) {
            stuck.polls++;
            const which = item.at === undefined ? NO_TIME : "so does the page after it";
            throw this.failure(stuck, error, `, even one item at a time, and ${which}: ${CUT}`);
          }
          // Asked once more alone: an answer cut on the way once reads now, and nothing is skipped.
          continue;
        }
        this.o.log.warn(
          { where: stuck.where, eventId: item.id, characters: error.text.length },
          `an item of the audit log at ${stuck.where} does not parse even asked alone (an answer of ${error.text.length} characters: cut short on the way?): quarantined as far as it came, and the log is read on from just after it was processed (${iso(from - 1)})`,
        );
        this.forget();
        const reason = `does not parse as JSON even asked alone (an answer of ${error.text.length} characters, cut short on the way?): kept as far as it came`;
        return {
          items: [new UnreadableItem(item.text, reason, item.id), ...after.items],
          texts: after.texts && [item.text, ...after.texts],
          next: after.next,
          // The item cut and the one asked after it: with both, more may follow.
          limit: 2,
        };
      }
    }
  }

  private get shrinking(): boolean {
    return this.stuck !== null && this.stuck.polls >= PATIENCE;
  }

  /** The stuck place (since the read `asked` then), moved on to `key` while smaller pages are asked; else begun there. */
  private at(key: string, where: string, full: number, asked: number): Stuck {
    if (this.stuck?.key === key) return this.stuck;
    if (this.stuck && this.shrinking) return Object.assign(this.stuck, { key, where, limit: full });
    this.stuck = { key, where, since: asked, polls: 0, limit: full };
    return this.stuck;
  }

  /**
   * A page of `limit` items read: below `full`, the next pages start at that size, twice as many
   * after GROW_AFTER in a row; a whole page read, the log is read past wherever it was stuck.
   */
  private worked(limit: number, full: number): void {
    if (limit >= full) {
      this.fits = null;
      this.passed();
      return;
    }
    const good = this.fits?.limit === limit ? this.fits.good + 1 : 1;
    this.fits = good < GROW_AFTER ? { limit, good } : { limit: Math.min(full, limit * 2), good: 0 };
  }

  private passed(): void {
    if (this.shrinking)
      this.o.log.info("the audit log is read on past the page that did not parse");
    this.forget();
  }

  private forget(): void {
    if (this.stuck === null) return;
    this.stuck = null;
    this.o.kept.write(null);
  }

  /**
   * Where to read on past the item an answer asked alone is cut in: just after it was processed
   * (`at`), never before what is stored (the stream is sorted by processedAt). Without its
   * processedAt, just after what is stored when the item is the first after it (that passes it
   * only when it was processed in the same millisecond); else undefined: nothing tells where.
   */
  private readOnFrom(request: StreamRequest, at: number | undefined): number | undefined {
    const stored = this.o.stored();
    const last = stored?.lastProcessedAt ?? null;
    const floor = last === null ? null : Math.min(last, this.o.clock.now());
    if (at !== undefined) return Math.max(at, floor ?? at) + 1;
    if (floor === null || request.cursor === undefined || request.cursor !== stored?.cursor)
      return undefined;
    return floor + 1;
  }

  /** The page from `from`, one item long; undefined when it does not parse. */
  private async pageAfter(from: number, get: Get): Promise<StreamPage | undefined> {
    try {
      return await get({ from, limit: 1 });
    } catch (error) {
      if (error instanceof UnparsedAnswer) return undefined;
      throw error;
    }
  }

  /** The error a poll failing at `stuck` ends with, the place kept for the next (maybe another process's). */
  private failure(stuck: Stuck, error: UnparsedAnswer, advice: string): AtlassianError {
    this.o.kept.write(stuck);
    return new AtlassianError(
      "bad-response",
      `the audit log is read no further than ${stuck.where} since ${iso(stuck.since)} (${stuck.polls} ${stuck.polls === 1 ? "poll" : "polls"}): ${error.message} (an answer of ${error.text.length} characters)${advice}`,
      { cause: error },
    );
  }
}

const OLDEST = "the oldest page the log keeps";

/** Why an item that does not parse even asked alone is not read past. */
const NO_TIME = "no processedAt of that item came whole to read on past it";

/** What to do when even one item at a time does not parse. */
const CUT =
  "answers may be cut on the way. Let whole answers through what stands between this machine and the API (a proxy or gateway with a size limit?); reading goes on from there once they parse, nothing lost";

function placeOf(request: StreamRequest): string {
  if (request.cursor)
    return `cursor ${request.cursor.length > 24 ? `${request.cursor.slice(0, 24)}…` : request.cursor}`;
  return request.from === undefined ? "its start" : `the page from ${iso(request.from)}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
