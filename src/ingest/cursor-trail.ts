import { UnreadableItem } from "../atlassian/unparsed-page.js";

/** Said when cursors go round in a cycle (the same cursor again, or pages that bring nothing new). */
export const CYCLE =
  "the audit log's cursors went round in a cycle: this poll ends, and the next reads by time from a little before the last event";
/** Said when a full page names no cursor and reading on by time does not move past it. */
export const STALLED =
  "a full page of the audit log named no next cursor, and reading on by time does not move past it: this poll ends, and the next tries again by time";

/** Said when a poll stops following empty pages whose cursor moves on. */
export const EMPTIED =
  "the audit log gave empty pages in a row whose cursor moves on: this poll ends there, not taken as read to the end, and the next goes on from that cursor in a few seconds (coming to more of them, and reading by time from the last event nothing new processed before it began, it takes them as the end)";

/** Empty pages in a row whose cursor moves on that a poll follows before it ends. */
const MAX_EMPTY_PAGES = 2;

/**
 * Pages of events in a row, each asked with a cursor never asked before, that a poll follows when
 * none brings an event it has not read already (in the last SEEN_PAGES pages): after that many,
 * the cursors go round in a cycle, whatever their strings (an opaque cursor that carries a nonce).
 */
const MAX_STALE_PAGES = 3;

/** The pages whose event ids tell whether a page brings one not read already: memory stays bounded. */
const SEEN_PAGES = 10;

/**
 * The cursors one poll asks for, deciding which to ask next: the page's `next` while it moves on
 * (an empty page is the end only when its cursor does not; a few in a row whose cursor moves on end
 * the poll short of the end, `emptied`: more may follow them), never a
 * cursor asked already this poll: cursors that go round in a cycle end the poll, `cycled`, and so
 * do pages of events in a row that bring none new, under cursors never asked before. A page
 * of events whose cursor does not move on ends it too, `unmoved`: the end of the stream when its
 * events are repeats (a stream repeats a few before its cursor), else a cursor stuck on that page,
 * which asked again would come back the same (the poller reads on by time past it).
 */
export class CursorTrail {
  private readonly asked = new Set<string>();
  private last: string | null;
  private empties = 0;
  /** The event ids of the last SEEN_PAGES pages of events, newest last. */
  private readonly seen: Array<ReadonlySet<string>> = [];
  /** Pages of events in a row that brought none not read already. */
  private stale = 0;
  cycled = false;
  unmoved = false;
  emptied = false;

  constructor(first: string | null) {
    this.last = first;
    if (first) this.asked.add(first);
  }

  /** The cursor the page being read was asked with (null: by time), until `next` moves on. */
  get current(): string | null {
    return this.last;
  }

  /** The cursor to ask after this page; undefined: the poll has read to the end. */
  next(page: {
    readonly items: readonly unknown[];
    readonly texts?: readonly string[] | undefined;
    readonly next?: string | undefined;
  }) {
    const next = page.next;
    if (!next) return undefined;
    if (next === this.last) {
      this.unmoved = page.items.length > 0;
      return undefined;
    }
    if (this.asked.has(next)) {
      this.cycled = true;
      return undefined;
    }
    this.empties = page.items.length === 0 ? this.empties + 1 : 0;
    if (this.empties > MAX_EMPTY_PAGES) {
      this.emptied = true;
      return undefined;
    }
    if (page.items.length > 0 && this.broughtNothingNew(page) && ++this.stale >= MAX_STALE_PAGES) {
      this.cycled = true;
      return undefined;
    }
    this.asked.add(next);
    this.last = next;
    return next;
  }

  /**
   * Whether every item of a page of events was on one of the last SEEN_PAGES pages (items
   * told apart by id, else by their text; one with neither counts as new), remembering its ids.
   */
  private broughtNothingNew(page: {
    readonly items: readonly unknown[];
    readonly texts?: readonly string[] | undefined;
  }): boolean {
    const ids = new Set<string>();
    let fresh = false;
    page.items.forEach((item, i) => {
      const id = itemKey(item, page.texts?.[i]);
      if (id === undefined || !this.seen.some((earlier) => earlier.has(id))) fresh = true;
      if (id !== undefined) ids.add(id);
    });
    this.seen.push(ids);
    if (this.seen.length > SEEN_PAGES) this.seen.shift();
    if (fresh) this.stale = 0;
    return !fresh;
  }
}

/** What tells an item apart: its id, else its text as received; undefined for neither. */
function itemKey(item: unknown, text: string | undefined): string | undefined {
  const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : undefined;
  if (typeof id === "string" && id !== "") return `id:${id}`;
  const raw = item instanceof UnreadableItem ? item.text : text;
  return raw === undefined ? undefined : `text:${raw}`;
}
