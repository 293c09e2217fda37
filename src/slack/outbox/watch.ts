import type { Clock } from "../../clock.js";
import type { OutboxItem, OutboxState } from "../../domain/outbox.js";
import type { Logger } from "../../logger.js";
import type { SlackPause } from "../../store/slack-pauses.js";
import type { SlackFailure } from "../failure.js";
import { methodsOf } from "./claims.js";
import type { SlackPauses } from "./pauses.js";

/** What became of an item's attempt in this process. */
export type Outcome =
  | { readonly kind: "sent" | "dropped" }
  /** Refused for good; `of`: the item's kind (an update of a click's alert shows it in its thread). */
  | { readonly kind: "failed"; readonly reason: string; readonly of: string }
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

  /**
   * `tell` hears the item's first wait and how it ends; at once when `already` says it waits now
   * (one of its methods is paused).
   */
  add(id: number, tell: (outcome: Outcome) => void, already?: () => Outcome | undefined): void {
    const now = this.o.clock.now();
    for (const [key, list] of this.watchers) {
      const live = list.filter((w) => now - w.since < WATCH_MS);
      if (live.length === 0) this.watchers.delete(key);
      else this.watchers.set(key, live);
    }
    this.watchers.set(id, [...(this.watchers.get(id) ?? []), { since: now, tell, waited: false }]);
    try {
      const waits = already?.();
      if (waits) this.told(id, waits);
    } catch (error) {
      this.o.logger.error({ err: error, item: id }, "what holds a message back could not be read");
    }
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

/** An item waiting now because one of its methods is paused; undefined when none is. */
export function pausedNow(
  item: (OutboxItem & { state: OutboxState }) | undefined,
  pauses: SlackPauses,
): Outcome | undefined {
  if (item?.state !== "pending") return undefined;
  const pause = methodsOf(item)
    .map((method) => pauses.holding(method))
    .find((p) => p !== undefined);
  return pause && waiting({ kind: "paused", code: pause.reason }, pause, pause.until);
}

/** An attempt that failed and is tried again at `until`: held back by a pause, what paused it. */
export function waiting(
  failure: Pick<SlackFailure, "kind" | "code">,
  pause: SlackPause | undefined,
  until: number,
): Outcome {
  const code = failure.kind === "paused" ? (pause?.reason ?? failure.code) : failure.code;
  const rateLimited = failure.kind === "rate-limited" || code === "ratelimited";
  return { kind: "waits", until, code, rateLimited };
}
