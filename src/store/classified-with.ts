import type { Db } from "./db.js";

/** What the bot classifies new events with: the rules file it last started with, if any. */
export interface ClassifiedWith {
  /** Its absolute path; null for none. */
  readonly rulesFile: string | null;
  readonly recordedAt: number;
}

/** The one row saying what the bot classifies new events with (migrations/0020). */
export class ClassifiedWithStore {
  private readonly write;
  private readonly read;

  constructor(db: Db) {
    this.write = db.prepare<[string | null, number]>(
      `INSERT INTO classified_with (id, rules_file, recorded_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET rules_file = excluded.rules_file, recorded_at = excluded.recorded_at`,
    );
    this.read = db.prepare<[], { rules_file: string | null; recorded_at: number }>(
      "SELECT rules_file, recorded_at FROM classified_with WHERE id = 1",
    );
  }

  record(rulesFile: string | null, now: number): void {
    this.write.run(rulesFile, now);
  }

  get(): ClassifiedWith | undefined {
    const row = this.read.get();
    return row && { rulesFile: row.rules_file, recordedAt: row.recorded_at };
  }
}
