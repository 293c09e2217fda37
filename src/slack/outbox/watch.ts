import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";

/** What became of an item's attempt in this process. */
export type Outcome =
  | { readonly kind: "sent" | "dropped" }
  | { readonly kind: "failed"; readonly reason: string }
  /** Tried again at `until`: a pause (a 429 when `rateLimited`), a setup problem, a backoff. */
  | {
      readonly kind: "waits";
      readonly until: number;
      readonly code: string;
      readonly rateLimited: boolean;
    };

/** The poster's word on an item: `tell` hears what becomes of item `id` (see OutboxWatch). */
export interface Watches {
  watch(id: number, tell: (outcome: Outcome) => void): void;
}

/** A click's response URL takes replies for 30 minutes: nobody is told later. */
const WATCH_MS = 30 * 60_000;

interface Watcher {
  readonly since: number;
  readonly tell: (outcome: Outcome) => void;
  waited: boolean;
}

/**
 * Who waits to hear what becomes of an item (the one who clicked, of the update that shows the
 * click): each is told the item's first wait and its end, in this process, for WATCH_MS at most.
 */
export class OutboxWatch {
  private readonly watchers = new Map<number, Watcher[]>();

  constructor(private readonly o: { clock: Clock; logger: Logger }) {}

  add(id: number, tell: (outcome: Outcome) => void): void {
    const now = this.o.clock.now();
    for (const [key, list] of this.watchers) {
      const live = list.filter((w) => now - w.since < WATCH_MS);
      if (live.length === 0) this.watchers.delete(key);
      else this.watchers.set(key, live);
    }
    this.watchers.set(id, [...(this.watchers.get(id) ?? []), { since: now, tell, waited: false }]);
  }

  told(id: number, outcome: Outcome): void {
    const list = this.watchers.get(id);
    if (!list) return;
    const waits = outcome.kind === "waits";
    if (!waits) this.watchers.delete(id);
    const now = this.o.clock.now();
    for (const w of list) {
      if ((waits && w.waited) || now - w.since >= WATCH_MS) continue;
      w.waited = true;
      try {
        w.tell(outcome);
      } catch (error) {
        this.o.logger.error({ err: error, item: id }, "telling what became of a message failed");
      }
    }
  }
}
