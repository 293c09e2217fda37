import type { Db } from "./db.js";

/** The posted alerts raised or changed lately, and the newest alert's id (see postedChanges). */
export interface PostedChanges {
  /** The newest alert's id, posted or not: the next look reads the alerts raised after it. */
  readonly lastId: number;
  /** Each posted alert raised after the id asked with, or changed since the time: `id:updated_at`. */
  readonly changes: readonly string[];
}

/**
 * What the App Home's worker reads to know whose Home to show anew: the changes of the alerts a
 * responder's Home lists, and who was last shown a responder's Home.
 */
export class HomeRefreshStore {
  constructor(private readonly db: Db) {}

  /**
   * The posted alerts (notify = 1: all a responder's Home lists, open or handled) raised after
   * alert `afterId` or changed (raised, grown, handled, their severity set, their post refused
   * by Slack for good) at `since` or later.
   * Two ranges, of ids and of alerts_updated, over what was raised or changed since: an alert
   * kept out of the channel (digest-only, below minSeverity) is passed over, however many there
   * are, and is never searched for back through the store.
   */
  postedChanges(afterId: number, since: number): PostedChanges {
    // The newest id first: an alert raised between the two reads is read now and again next time
    // (the same change, not counted twice), never missed.
    const last = this.db
      .prepare<[], { id: number | null }>("SELECT max(id) AS id FROM alerts")
      .get();
    const changes = this.db
      .prepare<[number, number], { change: string }>(
        `SELECT id || ':' || updated_at AS change FROM alerts WHERE id > ? AND notify = 1
         UNION
         SELECT id || ':' || updated_at FROM alerts INDEXED BY alerts_updated
         WHERE updated_at >= ? AND notify = 1`,
      )
      .all(afterId, since);
    return { lastId: last?.id ?? 0, changes: changes.map((r) => r.change) };
  }

  /**
   * The people whose newest App Home view (the outbox keeps them 30 days) was a responder's. The
   * outbox's index of refs is walked from one person's ref to the next, and each person's newest
   * view is a seek: two seeks a person, however many views each was shown.
   */
  responderViewers(): string[] {
    return this.db
      .prepare<[], { user: string }>(
        `WITH RECURSIVE refs(ref) AS (
           SELECT (SELECT min(ref) FROM outbox WHERE ref >= 'home:' AND ref < 'home;')
           UNION ALL
           SELECT (SELECT min(ref) FROM outbox WHERE ref > refs.ref AND ref < 'home;')
           FROM refs WHERE refs.ref IS NOT NULL)
         SELECT o.user_id AS user FROM refs JOIN outbox o
           ON o.id = (SELECT max(id) FROM outbox WHERE ref = refs.ref AND kind = 'home')
         WHERE o.user_id IS NOT NULL AND json_extract(o.data, '$.responder') = 1`,
      )
      .all()
      .map((r) => r.user);
  }
}
