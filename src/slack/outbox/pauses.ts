import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import type { SlackPause, SlackPauseStore } from "../../store/slack-pauses.js";
import { capWait, MAX_WAIT_MS } from "../../wait.js";

/** How long a setup error (a missing scope, the bot not in the channel) holds a method back. */
const SETUP_PAUSE_MS = 60_000;

/**
 * Web API methods paused for the whole workspace. Slack counts rate limits per method and per
 * workspace (chat.postMessage also has a workspace-wide limit a 429 does not name), so a 429 on a
 * method pauses it for every organization, every kind of message and every process: the pause
 * lives in the database. Every wait is capped (see MAX_WAIT_MS).
 */
export class SlackPauses {
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

  active(): SlackPause[] {
    return this.o.store.active(this.o.clock.now());
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

  /** A setup error: `method` is tried again in a minute (and each minute until a call works). */
  setupFailed(method: string, code: string): number {
    const now = this.o.clock.now();
    this.o.store.pause(method, now + SETUP_PAUSE_MS, code, now);
    return now + SETUP_PAUSE_MS;
  }
}
