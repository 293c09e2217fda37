import type { Statement } from "better-sqlite3";
import type { ActionInfo } from "../domain/event.js";
import type { Db } from "./db.js";

interface ActionRow {
  action: string;
  display_name: string | null;
  group_name: string | null;
  retired_at: number | null;
}

/** Catalogue writes through this process's connections, by connection (any store's). */
const writes = new WeakMap<Db, number>();

/** The action catalogue last fetched from /event-actions, kept so a restart classifies offline. */
export class EventActionStore {
  private upsertStatement: Statement | undefined;
  private retireStatement: Statement<[number, string, string], { action: string }> | undefined;
  private listStatement: Statement<[string], ActionRow> | undefined;
  private readonly dataVersion;
  private readonly read = new Map<
    string,
    { at: string; catalog: ReadonlyMap<string, ActionInfo> }
  >();

  constructor(private readonly db: Db) {
    // Changes when another connection commits (another process, another thread): the catalogue
    // may have changed under this one.
    this.dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
  }

  // Prepared at first use, not with the store: a store opened on a database before 0041 (an
  // upgrade's tests make one) keeps no catalogue until migrated.
  private get upsert() {
    this.upsertStatement ??= this.db.prepare(
      `INSERT INTO event_actions (org_id, action, display_name, group_name, is_mcp, seen_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (org_id, action) DO UPDATE SET display_name = excluded.display_name,
         group_name = excluded.group_name, is_mcp = excluded.is_mcp, seen_at = excluded.seen_at,
         retired_at = NULL`,
    );
    return this.upsertStatement;
  }

  private get retire() {
    this.retireStatement ??= this.db.prepare<[number, string, string], { action: string }>(
      `UPDATE event_actions SET retired_at = ? WHERE org_id = ? AND retired_at IS NULL
         AND action NOT IN (SELECT value FROM json_each(?)) RETURNING action`,
    );
    return this.retireStatement;
  }

  private get list() {
    this.listStatement ??= this.db.prepare<[string], ActionRow>(
      "SELECT action, display_name, group_name, retired_at FROM event_actions WHERE org_id = ? ORDER BY action",
    );
    return this.listStatement;
  }

  /**
   * Keeps a fetch of the catalogue: its actions, and, when it is `complete`, those it no longer
   * lists marked retired (kept, as they classify what was stored under them). Returns the newly
   * retired keys.
   */
  replace(
    orgId: string,
    actions: readonly ActionInfo[],
    isMcp: (info: ActionInfo) => boolean,
    seenAt: number,
    complete = true,
  ): string[] {
    writes.set(this.db, (writes.get(this.db) ?? 0) + 1);
    return this.db.transaction(() => {
      for (const info of actions) {
        this.upsert.run(
          orgId,
          info.action,
          info.displayName,
          info.groupName,
          isMcp(info) ? 1 : 0,
          seenAt,
        );
      }
      if (!complete || actions.length === 0) return [];
      const listed = JSON.stringify(actions.map((info) => info.action));
      return this.retire.all(seenAt, orgId, listed).map((row) => row.action);
    })();
  }

  /**
   * The catalogue by action key, read again only after it may have changed (a write through any
   * store on this connection, a commit by another connection): the rules ask for it on every
   * slice, and reading it each time cost them 5–10% of their time.
   */
  catalog(orgId: string): ReadonlyMap<string, ActionInfo> {
    const at = `${writes.get(this.db) ?? 0}:${this.dataVersion.get()}`;
    const known = this.read.get(orgId);
    if (known?.at === at) return known.catalog;
    const catalog = new Map(this.all(orgId).map((info) => [info.action, info]));
    this.read.set(orgId, { at, catalog });
    return catalog;
  }

  all(orgId: string): ActionInfo[] {
    return this.list.all(orgId).map((row) => ({
      action: row.action,
      displayName: row.display_name,
      groupName: row.group_name,
      ...(row.retired_at === null ? {} : { retired: true }),
    }));
  }
}
