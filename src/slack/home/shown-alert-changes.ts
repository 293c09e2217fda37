import type { HomeRefreshStore } from "../../store/home-refresh.js";

/**
 * Changes are read from this long before the last look (or now, if the clock went back), besides
 * the alerts raised since it: a change whose time was read before a look but written after it
 * (another process, a long transaction) is still seen, one made however long before a late look
 * too, and one seen already is not counted again.
 */
const LATE_MS = 10 * 60_000;

/**
 * Whether the alerts a responder's Home shows changed since the last look: a posted alert raised,
 * grown, handled, given another severity or refused by Slack for good (the Home lists it then).
 * An alert kept out of the channel (digest-only, below minSeverity, suppressed) changes nothing
 * the Home shows until it grows into the channel.
 */
export class ShownAlertChanges {
  /** The newest alert's id at the last look; none before the first. */
  private lastId: number | undefined;
  /** The changes read at the last look (`id:updated_at`). */
  private seen = new Set<string>();
  /** When the last look was. */
  private lastAt: number | undefined;

  constructor(private readonly store: Pick<HomeRefreshStore, "postedChanges">) {}

  /** Whether anything shown changed since the last look; the first look only takes note. */
  look(now: number): boolean {
    const first = this.lastId === undefined;
    const { lastId, changes } = this.store.postedChanges(
      this.lastId ?? Number.MAX_SAFE_INTEGER,
      Math.min(this.lastAt ?? now, now) - LATE_MS,
    );
    const changed = !first && changes.some((c) => !this.seen.has(c));
    this.lastId = lastId;
    this.lastAt = now;
    this.seen = new Set(changes);
    return changed;
  }
}
