/** Said when cursors go round in a cycle. */
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
 * The cursors one poll asks for, deciding which to ask next: the page's `next` while it moves on
 * (an empty page is the end only when its cursor does not; a few in a row whose cursor moves on end
 * the poll short of the end, `emptied`: more may follow them), never a
 * cursor asked already this poll: cursors that go round in a cycle end the poll, `cycled`. A page
 * of events whose cursor does not move on ends it too, `unmoved`: the end of the stream when its
 * events are repeats (a stream repeats a few before its cursor), else a cursor stuck on that page,
 * which asked again would come back the same (the poller reads on by time past it).
 */
export class CursorTrail {
  private readonly asked = new Set<string>();
  private last: string | null;
  private empties = 0;
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
  next(page: { readonly items: readonly unknown[]; readonly next?: string | undefined }) {
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
    this.asked.add(next);
    this.last = next;
    return next;
  }
}
