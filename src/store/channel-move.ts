import type { Db } from "./db.js";

/** What the alert channel gets as new messages; replies and updates follow their message. */
const NEW_MESSAGES = "('alert', 'rollup', 'summary', 'digest', 'notice')";

/** How many posts waited for an earlier alert channel, by that channel. */
export interface MovedPosts {
  readonly from: string;
  readonly posts: number;
}

/**
 * The alert channel's posts left waiting for an earlier channel (SLACK_ALERT_CHANNEL changed
 * while the old one was archived or mistyped): Slack refuses them there for good, as the old
 * channel is not the alert channel any more, so they are re-addressed to the new one.
 */
export class ChannelMove {
  private readonly waiting;
  private readonly children;
  private readonly posts;

  constructor(private readonly db: Db) {
    // Never one that may have reached Slack (uncertain): it is looked up where it was sent. Nor
    // a digest asked for with `digest --post`: it goes to the channel the command was given.
    const left = `state = 'pending' AND uncertain = 0 AND parent_id IS NULL AND target_ts IS NULL
      AND kind IN ${NEW_MESSAGES} AND channel <> @to
      AND NOT (kind = 'digest'
        AND ref IN (SELECT 'digest:' || id FROM digests WHERE kind = 'on-demand'))`;
    this.waiting = db.prepare<{ to: string }, MovedPosts>(
      `SELECT channel AS "from", count(*) AS posts FROM outbox WHERE ${left} GROUP BY channel ORDER BY channel`,
    );
    // The destination is the channel and the lane of its calls (" files"…); the old channel's
    // errors are not the new one's (a post failing holds the channel's alerts back).
    const readdress = `UPDATE outbox SET channel = @to,
      destination = @to || substr(destination, length(channel) + 1), last_error = NULL`;
    // The thread replies and chart of a digest, a reply to an alert: waiting for their message.
    this.children = db.prepare(
      `${readdress} WHERE state = 'pending' AND parent_id IN (SELECT id FROM outbox WHERE ${left})`,
    );
    this.posts = db.prepare(`${readdress} WHERE ${left}`);
  }

  /** Re-addresses to `to` what waits for another channel; what was moved, by that channel. */
  moveTo(to: string): MovedPosts[] {
    return this.db
      .transaction(() => {
        const moved = this.waiting.all({ to });
        if (moved.length === 0) return moved;
        this.children.run({ to });
        this.posts.run({ to });
        return moved;
      })
      .immediate();
  }
}
