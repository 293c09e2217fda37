import type { ActionInfo } from "../domain/event.js";
import type { Db } from "./db.js";

interface ActionRow {
  action: string;
  display_name: string | null;
  group_name: string | null;
}

/** Catalogue writes through this process's connections, by connection (any store's). */
const writes = new WeakMap<Db, number>();

/** The action catalogue last fetched from /event-actions, kept so a restart classifies offline. */
export class EventActionStore {
  private readonly upsert;
  private readonly list;
  private readonly dataVersion;
  private readonly read = new Map<
    string,
    { at: string; catalog: ReadonlyMap<string, ActionInfo> }
  >();

  constructor(private readonly db: Db) {
    // Changes when another connection commits (another process, another thread): the catalogue
    // may have changed under this one.
    this.dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
    this.upsert = db.prepare(
      `INSERT INTO event_actions (org_id, action, display_name, group_name, is_mcp, seen_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (org_id, action) DO UPDATE SET display_name = excluded.display_name,
         group_name = excluded.group_name, is_mcp = excluded.is_mcp, seen_at = excluded.seen_at`,
    );
    this.list = db.prepare<[string], ActionRow>(
      "SELECT action, display_name, group_name FROM event_actions WHERE org_id = ? ORDER BY action",
    );
  }

  replace(
    orgId: string,
    actions: readonly ActionInfo[],
    isMcp: (info: ActionInfo) => boolean,
    seenAt: number,
  ): void {
    writes.set(this.db, (writes.get(this.db) ?? 0) + 1);
    this.db.transaction(() => {
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
    }));
  }
}
