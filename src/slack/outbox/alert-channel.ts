import type { WebClient } from "@slack/web-api";
import type { Clock } from "../../clock.js";
import { alertChannelProblem, classifySlackError, type SlackFailure } from "../failure.js";
import { CHANNEL_LOOK_UP, type Trouble } from "./trouble.js";

/** While the alert channel's own problem stands, it is looked at again this often. */
const AGAIN_MS = 60_000;

/**
 * The alert channel, looked at before any message is due: a mistyped SLACK_ALERT_CHANNEL or a
 * channel the bot is not in would otherwise show only when the first alert or digest fails, hours
 * later, with /healthz "ok" until then. What it finds is the outbox's trouble, as a failed post's.
 */
export class AlertChannelCheck {
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly o: { client: WebClient; channel: string; clock: Clock; trouble: Trouble },
  ) {}

  /** Looks at it now: a setup problem found is kept until a look-up or a post to it succeeds. */
  async check(): Promise<void> {
    this.checkedAt = this.o.clock.now();
    const failure = await this.problem();
    if (failure === undefined) this.o.trouble.mended(this.o.channel);
    // Anything else (Slack out of reach, a rate limit) is for the posts to meet and tell.
    else if (failure.kind === "setup")
      this.o.trouble.slack(failure, CHANNEL_LOOK_UP, 0, this.o.channel);
  }

  /**
   * Looks again while the problem a look-up found stands, at most once a minute: the bot may be
   * invited since. A failed post's problem is the posts' to end, as they are retried.
   */
  async again(): Promise<void> {
    if (this.o.trouble.lookedUpProblem() !== this.o.channel) return;
    if (this.o.clock.now() - this.checkedAt < AGAIN_MS) return;
    await this.check();
  }

  private async problem(): Promise<SlackFailure | undefined> {
    try {
      const { channel } = await this.o.client.conversations.info({ channel: this.o.channel });
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
