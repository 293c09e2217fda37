import type { Db } from "./db.js";
import { FURTHEST_MS } from "./outbox-row.js";

export interface SlackPause {
  readonly method: string;
  readonly until: number;
  /** `ratelimited`, or the setup error that holds the method back. */
  readonly reason: string;
}

/** Web API methods rate-limited for the whole workspace: every process reads and writes them here. */
export class SlackPauseStore {
  private readonly upsert;
  private readonly activeQuery;

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO slack_pauses (method, until, reason, set_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (method) DO UPDATE SET
         reason = CASE WHEN excluded.until >= slack_pauses.until OR slack_pauses.until <= excluded.set_at
                         OR slack_pauses.until > excluded.set_at + ${FURTHEST_MS}
                       THEN excluded.reason ELSE slack_pauses.reason END,
         until = CASE WHEN slack_pauses.until <= excluded.set_at
                        OR slack_pauses.until > excluded.set_at + ${FURTHEST_MS}
                      THEN excluded.until ELSE max(slack_pauses.until, excluded.until) END,
         set_at = excluded.set_at`,
    );
    // A pause running further ahead than any wait this app sets was set before the clock
    // stepped back (NTP): it is over, or its method would wait hours for a pause of a minute.
    this.activeQuery = db.prepare<[number, number], SlackPause>(
      "SELECT method, until, reason FROM slack_pauses WHERE until > ? AND until <= ? ORDER BY method",
    );
  }

  /** Pauses `method` until `until` (a pause already running longer is kept). */
  pause(method: string, until: number, reason: string, now: number): void {
    this.upsert.run(method, until, reason, now);
  }

  /** The pauses still running at `now`. */
  active(now: number): SlackPause[] {
    return this.activeQuery.all(now, now + FURTHEST_MS);
  }
}
