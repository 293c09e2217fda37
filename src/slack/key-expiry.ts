import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { Db } from "../store/open.js";
import { classifySlackError } from "./client.js";
import { mrkdwn } from "./escape.js";
import type { Responders } from "./responders.js";

const DAY = 86_400_000;
const CHECK_MS = 60 * 60_000;
/** Days before the expiry when the channel is warned. */
export const WARN_DAYS = [14, 7, 1] as const;

/** Whole days left until `expires` (0 on the day it expires, negative after). */
export function daysLeft(expires: number, now: number): number {
  return Math.ceil((expires - now) / DAY);
}

/**
 * The warning due now, if any: the most urgent threshold reached and not yet posted, or the
 * expiry itself. Thresholds passed while the bot was down are not posted late one by one.
 */
export function dueWarning(
  expires: number,
  now: number,
  posted: ReadonlySet<number>,
): number | undefined {
  const left = daysLeft(expires, now);
  if (left <= 0) return posted.has(0) ? undefined : 0;
  const mostUrgent = WARN_DAYS.filter((days) => left <= days).at(-1);
  return mostUrgent !== undefined && !posted.has(mostUrgent) ? mostUrgent : undefined;
}

/**
 * Warns the alert channel 14, 7 and 1 days before ATLASSIAN_API_KEY_EXPIRES, and once it has
 * expired: after that the audit log can no longer be read. Each warning is recorded before it is
 * posted, so a restart never repeats one.
 */
export class KeyExpiryNotices {
  constructor(
    private readonly o: {
      db: Db;
      client: WebClient;
      clock: Clock;
      logger: Logger;
      orgId: string;
      channel: string;
      expires: number | undefined;
      responders: Responders;
      /** The organization's name, when several are watched. */
      organization?: () => string | undefined;
    },
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    if (this.o.expires === undefined) return;
    while (!signal.aborted) {
      await this.check();
      await this.o.clock.sleep(CHECK_MS, signal);
    }
  }

  /** Posts the warning due now, if any. Never throws. */
  async check(): Promise<void> {
    const { expires, orgId, db } = this.o;
    if (expires === undefined) return;
    const now = this.o.clock.now();
    const prefix = `api-key-expires:${new Date(expires).toISOString().slice(0, 10)}:`;
    const posted = new Set(
      db
        .prepare<[string, string], { notice: string }>(
          "SELECT notice FROM notices WHERE org_id = ? AND notice LIKE ? || '%'",
        )
        .all(orgId, prefix)
        .map((row) => Number(row.notice.slice(prefix.length))),
    );
    const due = dueWarning(expires, now, posted);
    if (due === undefined) return;
    const claim = db.prepare(
      "INSERT OR IGNORE INTO notices (org_id, notice, posted_at) VALUES (?, ?, ?)",
    );
    // Claim the threshold and every longer one, so none is posted after a more urgent one.
    const claimed = db.transaction(() => {
      const mine = claim.run(orgId, `${prefix}${due}`, now).changes === 1;
      for (const days of WARN_DAYS) if (days > due) claim.run(orgId, `${prefix}${days}`, now);
      return mine;
    })();
    if (!claimed) return;
    const text = this.text(expires, now, due);
    try {
      await this.o.client.chat.postMessage({
        channel: this.o.channel,
        text,
        blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
      });
      this.o.logger.warn({ daysLeft: daysLeft(expires, now) }, "API key expiry warning posted");
    } catch (error) {
      this.o.logger.error(
        { code: classifySlackError(error).code },
        `could not post the API key expiry warning: ${text}`,
      );
    }
  }

  private text(expires: number, now: number, due: number): string {
    const day = new Date(expires).toISOString().slice(0, 10);
    const name = this.o.organization?.();
    const key = `The Atlassian organization API key${name === undefined ? "" : ` of *${mrkdwn(name, 200)}* (${mrkdwn(this.o.orgId, 200)})`}`;
    const renew =
      "Create a new organization API key in Atlassian Administration → Settings → API keys, set ATLASSIAN_API_KEY and ATLASSIAN_API_KEY_EXPIRES, and restart mcp-activity.";
    if (due === 0)
      return `🔴 ${this.o.responders.mention()} ${key} expired on ${day}: the audit log can no longer be read, so nothing new is watched. ${renew}`;
    const left = daysLeft(expires, now);
    const mention = due === 1 ? `${this.o.responders.mention()} ` : "";
    return `⚠️ ${mention}${key} expires on ${day}, in ${left} day${left === 1 ? "" : "s"}. Then the audit log can no longer be read. ${renew}`;
  }
}
