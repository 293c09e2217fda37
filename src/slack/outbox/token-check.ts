import type { WebClient } from "@slack/web-api";
import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import { tokenCheckFailure } from "../failure.js";
import type { SlackIdentity } from "./lookup.js";
import type { SlackPauses } from "./pauses.js";
import { TOKEN_CHECK, type Trouble } from "./trouble.js";

/**
 * With nothing posted for this long, the token is checked again: a token revoked or an app
 * uninstalled while the channel is quiet is seen (in /healthz, `status`, the log) before the next
 * alert needs it, not when that alert fails.
 */
export const TOKEN_CHECK_MS = 5 * 60_000;

/**
 * The bot token, checked by asking Slack who the bot is (auth.test): at start, and again once
 * nothing has proved it for TOKEN_CHECK_MS. Who the bot is is kept (its own messages are found by it).
 */
export class TokenCheck {
  identity: SlackIdentity | undefined;
  private provenAt: number;

  constructor(
    private readonly o: {
      client: WebClient;
      clock: Clock;
      trouble: Trouble;
      log: Logger;
      pauses: SlackPauses;
    },
  ) {
    this.provenAt = o.clock.now();
  }

  /** Slack took a call made with the token (a message posted). */
  proven(): void {
    this.provenAt = this.o.clock.now();
  }

  /** Whether to check again: known to work once, and nothing has proved it since a while. */
  due(): boolean {
    return this.identity !== undefined && this.o.clock.now() - this.provenAt >= TOKEN_CHECK_MS;
  }

  /**
   * Asks now; false: the token does not work (or Slack did not answer, or SLACK_API_URL is not the
   * Web API's), said as the outbox's trouble, once. An answer ends a refusal an earlier check met.
   */
  async check(): Promise<boolean> {
    this.proven(); // asked: not again before TOKEN_CHECK_MS, whatever the answer
    try {
      await this.identify();
    } catch (error) {
      const paused = this.o.pauses.waitSeconds(TOKEN_CHECK);
      const failure = tokenCheckFailure(error, this.o.client.slackApiUrl);
      this.o.trouble.slack(failure, TOKEN_CHECK, paused);
      return false;
    }
    this.o.trouble.answered(TOKEN_CHECK, false);
    return true;
  }

  /** Who the bot is (auth.test); a failure is thrown as the call's own error. */
  async identify(): Promise<SlackIdentity> {
    const me = await this.o.client.auth.test();
    if (this.identity === undefined)
      this.o.log.info(
        { team: me.team, botUserId: me.user_id },
        `Slack: connected to ${me.team ?? "the workspace"}`,
      );
    this.identity = { botId: me.bot_id, userId: me.user_id };
    this.proven();
    return this.identity;
  }
}
