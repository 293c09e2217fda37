import type { Db } from "./db.js";

/**
 * SQL for the ref of the interned text `value` (a parameter such as `@orgId`, or a quoted
 * literal), looked up once per statement; null when nothing stored has it.
 */
export const refOf = (value: string): string => `(SELECT ref FROM strings WHERE value = ${value})`;

/**
 * Interned text (`strings`): each value stored once, rows refer to it by `ref`. Both directions
 * are cached in memory for the connection's life (a few thousand values: people, sites, tools,
 * actor objects). Before each batch the cache is checked: a value inserted in a transaction that
 * then rolled back must not stay cached, nor values the retention deleted (by any connection:
 * `strings_generation` counts the deletes), whose refs may be given to new values.
 */
export class StringTable {
  private readonly byValue = new Map<string, number>();
  private readonly byRef = new Map<number, string>();
  private readonly insert;
  private readonly find;
  private readonly read;
  private readonly generation;
  /** The deletes counted when the cache was last checked. */
  private seenGeneration: number | undefined;
  private loaded = false;
  /** The last value this cache added, until seen committed. */
  private unconfirmed: { ref: number; value: string } | undefined;

  private constructor(private readonly db: Db) {
    this.insert = db
      .prepare<[string], number>("INSERT INTO strings (value) VALUES (?) RETURNING ref")
      .pluck();
    this.find = db.prepare<[string], number>("SELECT ref FROM strings WHERE value = ?").pluck();
    this.read = db.prepare<[number], string>("SELECT value FROM strings WHERE ref = ?").pluck();
    // A database not yet upgraded (migrations/0018) has no deletes to count.
    const counted = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'strings_generation'")
      .get();
    const generation = db.prepare<[], number>(
      counted ? "SELECT n FROM strings_generation" : "SELECT 0",
    );
    this.generation = generation.pluck();
  }

  private static readonly tables = new WeakMap<Db, StringTable>();

  /** The one table cache of this connection. */
  static of(db: Db): StringTable {
    let table = StringTable.tables.get(db);
    if (!table) {
      table = new StringTable(db);
      StringTable.tables.set(db, table);
    }
    return table;
  }

  /**
   * Call before a batch of `ref`, in its transaction: drops the cache when what it added last
   * was rolled back, or when strings were deleted since.
   */
  check(): void {
    const generation = this.generation.get();
    if (generation !== this.seenGeneration) {
      this.seenGeneration = generation;
      this.forget();
      return;
    }
    const last = this.unconfirmed;
    if (!last) return;
    if (this.read.get(last.ref) === last.value) {
      if (!this.db.inTransaction) this.unconfirmed = undefined;
      return;
    }
    this.forget();
  }

  /** The deletes counted so far: a value that changes says strings were deleted meanwhile. */
  deletes(): number {
    return this.generation.get() ?? 0;
  }

  private forget(): void {
    this.byValue.clear();
    this.byRef.clear();
    this.loaded = false;
    this.unconfirmed = undefined;
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    for (const row of this.db
      .prepare<[], { ref: number; value: string }>("SELECT ref, value FROM strings")
      .all())
      this.remember(row.ref, row.value);
  }

  private remember(ref: number, value: string): void {
    this.byValue.set(value, ref);
    this.byRef.set(ref, value);
  }

  /** The ref of `value`, inserting it when new (call inside the transaction that uses it). */
  ref(value: string): number {
    let ref = this.byValue.get(value);
    if (ref !== undefined) return ref;
    this.load();
    ref = this.byValue.get(value) ?? this.find.get(value);
    if (ref === undefined) {
      ref = this.insert.get(value) as number;
      this.unconfirmed = { ref, value };
    }
    this.remember(ref, value);
    return ref;
  }

  refOrNull(value: string | null): number | null {
    return value === null ? null : this.ref(value);
  }

  /** The ref of `value` when stored, without adding it. */
  lookup(value: string): number | undefined {
    const ref = this.byValue.get(value);
    if (ref !== undefined) return ref;
    this.load();
    return this.byValue.get(value) ?? this.find.get(value);
  }

  value(ref: number): string {
    let value = this.byRef.get(ref);
    if (value !== undefined) return value;
    value = this.read.get(ref);
    if (value === undefined) throw new Error(`strings: no value for ref ${ref}`);
    this.remember(ref, value);
    return value;
  }

  valueOrNull(ref: number | null): string | null {
    return ref === null ? null : this.value(ref);
  }
}
