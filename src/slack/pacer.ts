import type { Clock } from "../clock.js";

const SPACING_MS = 1_000;

/**
 * At most one call a second to the alert channel, shared by the notifiers of every watched
 * organization: they all post to the same channel.
 */
export class ChannelPacer {
  private lastPostAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  async paced<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      const wait = this.lastPostAt + SPACING_MS - this.clock.now();
      if (wait <= 0) break;
      await this.clock.sleep(wait);
    }
    this.lastPostAt = this.clock.now();
    return call();
  }
}
