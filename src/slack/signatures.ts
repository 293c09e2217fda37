import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { HOUR, isoOrNull } from "../time-units.js";

/** How the requests at /slack/events (HTTP mode) pass their signature check, for /healthz. */
export interface SignatureState {
  /** Requests refused since the start: a wrong signature, a stale timestamp, no signature. */
  readonly refused: number;
  readonly firstRefusedAt: number | null;
  readonly lastVerifiedAt: number | null;
}

/**
 * The requests Bolt refuses for their signature. Slack signs with the app's Signing Secret: a
 * SLACK_SIGNING_SECRET that is another value (the Client Secret or the Verification Token beside
 * it on the same page) refuses every command and click, while Slack shows only dispatch_failed.
 * Said once, then at most hourly with the count: anyone who reaches the port may send unsigned
 * requests, so they never make /healthz 503 nor fill the log.
 */
export class SignatureChecks {
  private refusals = 0;
  private firstRefusedAt: number | null = null;
  private lastVerifiedAt: number | null = null;
  private saidAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  refused(): void {
    const now = this.clock.now();
    this.refusals++;
    this.firstRefusedAt ??= now;
    if (now - this.saidAt < HOUR) return;
    this.saidAt = now;
    this.logger.warn(
      { refused: this.refusals },
      `requests at /slack/events fail their signature check (${this.refusals} since ${isoOrNull(this.firstRefusedAt)}): if Slack shows dispatch_failed, SLACK_SIGNING_SECRET is not the app's Signing Secret (Basic Information → App Credentials)`,
    );
  }

  verified(): void {
    this.lastVerifiedAt = this.clock.now();
  }

  state(): SignatureState {
    const { refusals: refused, firstRefusedAt, lastVerifiedAt } = this;
    return { refused, firstRefusedAt, lastVerifiedAt };
  }
}
