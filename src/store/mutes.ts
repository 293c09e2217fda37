import type { Db } from "./open.js";

export interface Mute {
  readonly ruleId: string;
  readonly userKey: string;
  readonly until: number;
  readonly reason: string;
}

/** Rule-and-person patterns kept out of Slack for a while (alerts still stored and counted). */
export class MuteStore {
  private readonly insert;
  private readonly active;

  constructor(db: Db) {
    this.insert = db.prepare(
      "INSERT INTO mutes (org_id, rule_id, user_key, until, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.active = db.prepare<[string, string, string, number], { reason: string; until: number }>(
      "SELECT reason, until FROM mutes WHERE org_id = ? AND rule_id = ? AND user_key = ? AND until > ? ORDER BY until DESC LIMIT 1",
    );
  }

  add(orgId: string, mute: Mute, createdBy: string, now: number): void {
    this.insert.run(orgId, mute.ruleId, mute.userKey, mute.until, mute.reason, createdBy, now);
  }

  /** The reason of a mute covering this rule and person at `at`, if any. */
  reasonAt(orgId: string, ruleId: string, userKey: string, at: number): string | undefined {
    return this.active.get(orgId, ruleId, userKey, at)?.reason;
  }
}
