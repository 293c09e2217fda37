import type { Logger } from "../../logger.js";
import type { ChannelBacklog } from "../../store/channel-backlog.js";
import type { OutboxStore } from "../../store/outbox.js";

/** How long the channel takes no post before alerts are held back: a minute of posting. */
const OUT_AFTER_MS = 60_000;

/**
 * Alerts held back while Slack does not take the alert channel's posts (an outage, a network
 * down): nothing more is queued, and what waits to be posted is taken back (but the most urgent
 * post, which keeps trying), so that once Slack is back the alerts go as one backlog (the most
 * severe alone, the rest in one summary) instead of each one hours late.
 */
export class HeldBack {
  private holding = false;

  constructor(
    private readonly o: {
      readonly backlog: ChannelBacklog;
      readonly outbox: OutboxStore;
      readonly logger: Logger;
      readonly orgId: string;
      readonly channel: string;
      readonly now: () => number;
    },
  ) {}

  /** Whether the channel is out now; if so, what waits for it is held back. */
  check(): boolean {
    const now = this.o.now();
    const since = this.o.backlog.failingSince(this.o.channel);
    const out = since !== null && now - since >= OUT_AFTER_MS;
    if (out) {
      const held = this.o.outbox.atomically(() => this.o.backlog.holdBack(this.o.orgId));
      if (!this.holding || held > 0)
        this.o.logger.warn(
          { heldBack: held, failingFor: Math.round((now - since) / 1000) },
          "Slack has not taken the alert channel's posts for a minute: alerts are held back until it does, then posted as one backlog",
        );
    } else if (this.holding) {
      this.o.logger.info(
        "Slack takes the alert channel's posts again: the alerts held back are posted (more than a minute of posting: the most severe alone, the rest in one summary)",
      );
    }
    this.holding = out;
    return out;
  }
}
