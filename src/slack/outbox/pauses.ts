import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import type { SlackPause, SlackPauseStore } from "../../store/slack-pauses.js";
import { capWait, MAX_WAIT_MS } from "../../wait.js";

/** How long a setup error (a missing scope, the bot not in the channel) holds a method back. */
const SETUP_PAUSE_MS = 60_000;

/**
 * Web API methods paused. Slack counts rate limits per method and per workspace (chat.postMessage
 * also has a workspace-wide limit a 429 does not name), so a 429 on a method pauses it for every
 * organization, every kind of message and every process: that pause lives in the database. A
 * setup error is this process's own (its token, its channel: a command run from a shell whose
 * SLACK_BOT_TOKEN or SLACK_ALERT_CHANNEL is not the bot's), so it pauses this process only. Every
 * wait is capped (see MAX_WAIT_MS).
 */
export class SlackPauses {
  /** This process's setup pauses, by method. */
  private readonly own = new Map<string, SlackPause>();

  constructor(private readonly o: { store: SlackPauseStore; clock: Clock; logger: Logger }) {}

  /** The pause holding `method` now, if any. */
  holding(method: string): SlackPause | undefined {
    return this.active().find((p) => p.method === method);
  }

  /** How long `method` is paused from now, in whole seconds (0: it is not). */
  waitSeconds(method: string): number {
    const now = this.o.clock.now();
    const until = this.holding(method)?.until ?? now;
    return Math.round(Math.min(MAX_WAIT_MS, Math.max(0, until - now)) / 1000);
  }

  /** The pauses running now, one per method (the longer, where a 429 and a setup error meet). */
  active(): SlackPause[] {
    const now = this.o.clock.now();
    const byMethod = new Map(this.o.store.active(now).map((p) => [p.method, p]));
    // One set further ahead than a setup pause lasts was set before the clock stepped back: over.
    for (const p of this.own.values())
      if (p.until > now && p.until <= now + SETUP_PAUSE_MS)
        if ((byMethod.get(p.method)?.until ?? 0) < p.until) byMethod.set(p.method, p);
    return [...byMethod.values()].sort((a, b) => (a.method < b.method ? -1 : 1));
  }

  /** Slack answered 429: `method` waits Retry-After (capped). Returns when it may be called again. */
  rateLimited(method: string, retryAfterMs: number): number {
    const now = this.o.clock.now();
    const wait = capWait(retryAfterMs);
    if (wait.capped)
      this.o.logger.warn(
        { method, askedMs: retryAfterMs, waitMs: wait.ms },
        `Slack asked to wait ${Math.round(retryAfterMs / 1000)} s before calling ${method} again; waiting ${Math.round(wait.ms / 1000)} s, the longest this app waits`,
      );
    this.o.store.pause(method, now + wait.ms, "ratelimited", now);
    return now + wait.ms;
  }

  /**
   * A setup error: `method` is tried again by this process in a minute (and each minute until a
   * call works); other processes go on.
   */
  setupFailed(method: string, code: string): number {
    const until = this.o.clock.now() + SETUP_PAUSE_MS;
    this.own.set(method, { method, until, reason: code });
    return until;
  }
}
