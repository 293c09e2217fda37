import type { Db } from "./db.js";
import { CLASSIFIED, classifiedColumns } from "./event-columns.js";

/** The classification columns of `event_rows` that hold no `strings` ref. */
const NOT_REFS: ReadonlySet<string> = new Set([
  "processed_delta",
  "is_mcp",
  "tool_guessed",
  "ip",
  "resource",
]);

/**
 * Every column that holds a `strings` ref, by table; the events' from the columns ingest writes,
 * so that a column added there is looked in (a column read that holds no ref keeps text longer).
 */
export const STRING_REFS = {
  event_rows: ["org", ...CLASSIFIED.filter((column) => !NOT_REFS.has(column))],
  raw_blocks: ["org"],
  event_counts: ["org"],
  person_scopes: ["org", "user_id"],
  person_hours: ["org", "user_id"],
} as const;

/** The refs of the small tables: blocks, counts and personal baselines. */
const OTHER_REFS = Object.entries(STRING_REFS)
  .filter(([table]) => table !== "event_rows")
  .flatMap(([table, columns]) => columns.map((c) => `SELECT ${c} FROM ${table}`))
  .join(" UNION ");

/**
 * Finds the interned text no row refers to any more (the name, e-mail and account id of a person
 * whose events were all pruned) and deletes it. The events are read in chunks, one short read at
 * a time, while the bot goes on storing events on the same connection; the delete then reads
 * the rows stored meanwhile, in its transaction, and gives up when another process wrote (it
 * could have given an old row a ref found unused: `reclassify`): the next pass tries again.
 */
export class UnusedStrings {
  private readonly chunk;
  private readonly after;
  private readonly others;
  private readonly refs;
  private readonly remove;
  private readonly newestSeq;
  private readonly newestRef;

  constructor(private readonly db: Db) {
    // The columns the table has (a database an upgrade test keeps at an older version lacks later ones).
    const has = new Set<string>(classifiedColumns(db));
    const EVENT_REFS = STRING_REFS.event_rows.filter((c) => c === "org" || has.has(c)).join(", ");
    this.chunk = db
      .prepare<[number, number], number[]>(
        `SELECT seq, ${EVENT_REFS} FROM event_rows WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw();
    this.after = db
      .prepare<[number], (number | null)[]>(`SELECT ${EVENT_REFS} FROM event_rows WHERE seq > ?`)
      .raw();
    this.others = db.prepare<[], number>(OTHER_REFS).pluck();
    this.refs = db.prepare<[number], number>("SELECT ref FROM strings WHERE ref <= ?").pluck();
    this.remove = db.prepare<[number]>("DELETE FROM strings WHERE ref = ?");
    this.newestSeq = db.prepare<[], number>("SELECT coalesce(max(seq), 0) FROM event_rows").pluck();
    this.newestRef = db.prepare<[], number>("SELECT coalesce(max(ref), 0) FROM strings").pluck();
  }

  /** Where a sweep starts: the refs and the events as they are now, and who else wrote. */
  begin(): Sweep {
    return {
      used: new Set<number>(),
      from: 0,
      untilSeq: this.newestSeq.get() ?? 0,
      untilRef: this.newestRef.get() ?? 0,
      version: this.dataVersion(),
    };
  }

  /** Reads up to `limit` more events' refs; false once every event of the sweep is read. */
  read(sweep: Sweep, limit: number): boolean {
    const rows = this.chunk.all(sweep.from, limit);
    for (const row of rows) {
      for (let i = 1; i < row.length; i++) {
        const ref = row[i];
        if (ref !== null && ref !== undefined) sweep.used.add(ref);
      }
      sweep.from = row[0] ?? sweep.from;
    }
    return rows.length === limit && sweep.from < sweep.untilSeq;
  }

  /**
   * Deletes the strings of the sweep no row refers to, in one transaction; null when another
   * process wrote to the database since the sweep began (nothing is deleted).
   */
  finish(sweep: Sweep): number | null {
    return this.db
      .transaction(() => {
        if (this.dataVersion() !== sweep.version) return null;
        const used = sweep.used;
        for (const row of this.after.iterate(sweep.from))
          for (const ref of row) if (ref !== null) used.add(ref);
        for (const ref of this.others.iterate()) used.add(ref);
        let deleted = 0;
        for (const ref of this.refs.all(sweep.untilRef))
          if (!used.has(ref)) deleted += this.remove.run(ref).changes;
        return deleted;
      })
      .immediate();
  }

  /** Changes when another connection commits to the file (SQLite's `data_version`). */
  private dataVersion(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }
}

export interface Sweep {
  readonly used: Set<number>;
  /** The last event read. */
  from: number;
  readonly untilSeq: number;
  /** Strings added after the sweep began are not its to judge. */
  readonly untilRef: number;
  readonly version: number;
}
