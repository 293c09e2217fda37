import type { WebClient } from "@slack/web-api";
import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import { alertChannelProblem, classifySlackError, type SlackFailure } from "../failure.js";
import { TOKEN_REFUSED } from "../setup-codes.js";
import { CHANNEL_LOOK_UP, type Trouble } from "./trouble.js";

/** Until a look-up is answered, and while the problem it found stands: looked at this often. */
const AGAIN_MS = 60_000;

/** Failures that leave the question open: Slack did not answer it (yet). */
const UNANSWERED: ReadonlySet<SlackFailure["kind"]> = new Set([
  "transient",
  "rate-limited",
  "paused",
]);

/** What to do when the look-up itself is refused, as it is for a scope only it needs. */
const LOOK_UP_ADVICE: Readonly<Record<string, string>> = {
  missing_scope: "add channels:read and groups:read (manifest.yml) and reinstall",
};

/**
 * The alert channel, looked at before any message is due: a mistyped SLACK_ALERT_CHANNEL or a
 * channel the bot is not in would otherwise show only when the first alert or digest fails, hours
 * later, with /healthz "ok" until then. What it finds is the outbox's trouble, as a failed post's.
 */
export class AlertChannelCheck {
  private checkedAt = Number.NEGATIVE_INFINITY;
  private waitMs = AGAIN_MS;
  /**
   * No look-up has been answered yet: a deploy is when Slack or the network blips (a 503, a 429,
   * a DNS not ready), and one lost look-up would leave a wrong channel unseen until an alert fails.
   */
  private open = false;
  /**
   * Whether the channel is shared with another organization (Slack Connect), as the last answered
   * look-up said; null before one.
   */
  private sharedOutside: boolean | null = null;

  constructor(
    private readonly o: {
      client: WebClient;
      channel: string;
      clock: Clock;
      trouble: Trouble;
      log: Logger;
    },
  ) {}

  /** Looks at it now: a setup problem found is kept until a look-up or a post to it succeeds. */
  async check(): Promise<void> {
    this.checkedAt = this.o.clock.now();
    const failure = await this.problem();
    // A token refused leaves the question open too: the channel is looked at once it works again
    // (an app reinstalled is in no channel).
    this.open =
      failure !== undefined && (UNANSWERED.has(failure.kind) || TOKEN_REFUSED.has(failure.code));
    // After a 429, not before its wait is over.
    this.waitMs = Math.max(AGAIN_MS, failure?.retryAfterMs ?? 0);
    if (failure === undefined) this.o.trouble.mended(this.o.channel);
    else if (failure.channelProblem)
      this.o.trouble.slack(failure, CHANNEL_LOOK_UP, 0, {
        destination: this.o.channel,
        post: "top-level",
        direct: false,
      });
    // The token refused: not the channel's problem, nor the look-up's alone.
    else if (TOKEN_REFUSED.has(failure.code)) this.o.trouble.slack(failure, CHANNEL_LOOK_UP, 0);
    else if (this.open)
      this.o.log.debug({ code: failure.code }, "the alert channel could not be looked up yet");
    // Posting may still work (chat:write): the look-up's own trouble never makes /healthz 503.
    else {
      const advice = LOOK_UP_ADVICE[failure.code] ?? failure.advice;
      this.o.log.warn(
        { code: failure.code, method: CHANNEL_LOOK_UP },
        `the alert channel could not be looked up (${failure.code})${advice ? `: ${advice}` : ""}`,
      );
    }
  }

  /** For /healthz: whether the channel is shared with another organization (null: not known yet). */
  health(): { readonly alertChannelSharedExternally: boolean | null } {
    return { alertChannelSharedExternally: this.sharedOutside };
  }

  /** It could not be looked at now (the token check failed): it is, a minute on, from due(). */
  later(): void {
    this.open = true;
    this.checkedAt = this.o.clock.now();
    this.waitMs = AGAIN_MS;
  }

  /**
   * Whether to look again: until a look-up is answered, and while the problem a look-up found
   * stands (the bot may be invited since), at most once a minute. A failed post's problem is the
   * posts' to end, as they are retried.
   */
  due(): boolean {
    const standing =
      this.open ||
      this.o.trouble.lookedUpProblem() === this.o.channel ||
      this.o.trouble.tokenRefused();
    return standing && this.o.clock.now() - this.checkedAt >= this.waitMs;
  }

  /**
   * Said at warn when a look-up first finds it shared with another organization (Slack Connect):
   * alerts show people's e-mail addresses and AI-tool activity to that organization's members too.
   * A channel shared only between workspaces of one Enterprise Grid organization (is_org_shared)
   * stays within the company and its admins: not said.
   */
  private shared(outside: boolean): void {
    if (outside && this.sharedOutside !== true)
      this.o.log.warn(
        { channel: this.o.channel },
        `the alert channel ${this.o.channel} is shared with another organization (Slack Connect): its people see every alert, with e-mail addresses and AI-tool activity; use a channel of this workspace alone for SLACK_ALERT_CHANNEL`,
      );
    this.sharedOutside = outside;
  }

  private async problem(): Promise<SlackFailure | undefined> {
    try {
      const { channel } = await this.o.client.conversations.info({ channel: this.o.channel });
      this.shared(channel?.is_ext_shared === true);
      if (channel?.is_archived === true) return alertChannelProblem("is_archived");
      // chat:write posts only where the bot is a member (a private channel it is not in is
      // channel_not_found already).
      if (channel?.is_member === false) return alertChannelProblem("not_in_channel");
      return undefined;
    } catch (error) {
      return classifySlackError(error, true);
    }
  }
}
