import type { Db } from "./db.js";

/** The alert channel's posts that carry alerts: held back while Slack does not take them. */
const CARRY_ALERTS = "('alert', 'rollup', 'rollup-update', 'summary')";

interface Post {
  id: number;
  key: string;
  kind: string;
  data: string | null;
}

/** The alerts a post carries: an alert's own, or those a roll-up or summary counts. */
function alertsOf(post: Post): number[] {
  if (post.kind === "alert") return [Number(post.key.split(":").at(-1))];
  const ids =
    post.data === null ? undefined : (JSON.parse(post.data) as { alertIds?: unknown }).alertIds;
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === "number") : [];
}

/**
 * The alert channel's posts while Slack does not take them: since when it has failed, and the
 * posts taken back out of the outbox so that their alerts wait with the others (posted, or
 * summarised, once Slack is back) rather than each posted hours late.
 */
export class ChannelBacklog {
  private readonly failing;
  private readonly postedSince;
  private readonly waiting;
  private readonly drop;
  private readonly forget;
  private readonly unsettle;

  constructor(db: Db) {
    // Posts carrying alerts (not updates: their own lane) tried and not taken, a setup error's
    // free retries too.
    this.failing = db
      .prepare<[string], number | null>(
        `SELECT min(first_claimed_at) FROM outbox WHERE channel = ? AND method = 'chat.postMessage'
           AND state = 'pending' AND last_error IS NOT NULL AND kind IN ${CARRY_ALERTS}`,
      )
      .pluck();
    // The last post that went through since (outbox_delivered_channel, migrations/0023): the
    // channel has taken nothing since the later of the two.
    this.postedSince = db
      .prepare<[string, number], number>(
        `SELECT max(delivered_at) FROM outbox WHERE state = 'delivered' AND delivered_channel = ?
           AND method = 'chat.postMessage' AND delivered_at > ?`,
      )
      .pluck();
    // Never one that may have reached Slack (uncertain): it is looked up, not taken back; nor one
    // a reply waits on. Deleted, not dropped: its key is queued again when its alerts are.
    this.waiting = db.prepare<[string], Post>(
      `SELECT id, key, kind, data FROM outbox WHERE org_id = ? AND state = 'pending' AND uncertain = 0
         AND kind IN ${CARRY_ALERTS} ORDER BY priority, id`,
    );
    this.drop = db.prepare(
      `DELETE FROM outbox WHERE id = ? AND state = 'pending' AND uncertain = 0
         AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.parent_id = outbox.id)`,
    );
    this.forget = db.prepare(
      "DELETE FROM deliveries WHERE org_id = ? AND alert_id = ? AND ts IS NULL",
    );
    // No trigger settles on a delete (migrations/0015): the alert is the producer's again.
    this.unsettle = db.prepare(
      "UPDATE alerts SET settled_revision = NULL WHERE org_id = ? AND id = ?",
    );
  }

  /**
   * Since when the channel has taken no post while one carrying alerts is tried and not taken
   * (a digest failing alone does not count), or null.
   */
  failingSince(channel: string): number | null {
    const since = this.failing.get(channel) ?? null;
    if (since === null) return null;
    return Math.max(since, this.postedSince.get(channel, since) ?? since);
  }

  /**
   * Takes the organization's waiting posts that carry alerts, but the first (the most urgent,
   * which keeps trying), back out of the outbox: their alerts are not queued any more. Returns
   * how many alerts. The caller runs it in a transaction.
   */
  holdBack(orgId: string): number {
    const alerts = new Set<number>();
    for (const post of this.waiting.all(orgId).slice(1))
      if (this.drop.run(post.id).changes === 1) for (const id of alertsOf(post)) alerts.add(id);
    for (const id of alerts)
      if (this.forget.run(orgId, id).changes === 1) this.unsettle.run(orgId, id);
    return alerts.size;
  }
}
