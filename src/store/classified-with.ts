import type { Db } from "./db.js";

/** What the bot classifies new events with: the rules file it last started with, if any. */
export interface ClassifiedWith {
  /** Its absolute path; null for none. */
  readonly rulesFile: string | null;
  /** SHA-256 of its text as the bot read it; null for none. */
  readonly digest: string | null;
  readonly recordedAt: number;
}

/** The one row saying what the bot classifies new events with (migrations/0020). */
export class ClassifiedWithStore {
  private readonly write;
  private readonly read;

  constructor(db: Db) {
    this.write = db.prepare<[string | null, string | null, number]>(
      `INSERT INTO classified_with (id, rules_file, rules_digest, recorded_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET rules_file = excluded.rules_file,
         rules_digest = excluded.rules_digest, recorded_at = excluded.recorded_at`,
    );
    this.read = db.prepare<
      [],
      { rules_file: string | null; rules_digest: string | null; recorded_at: number }
    >("SELECT rules_file, rules_digest, recorded_at FROM classified_with WHERE id = 1");
  }

  record(used: Omit<ClassifiedWith, "recordedAt">, now: number): void {
    this.write.run(used.rulesFile, used.digest, now);
  }

  get(): ClassifiedWith | undefined {
    const row = this.read.get();
    return (
      row && { rulesFile: row.rules_file, digest: row.rules_digest, recordedAt: row.recorded_at }
    );
  }
}
