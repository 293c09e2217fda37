import type { ActionInfo } from "../domain/event.js";
import type { Db } from "./db.js";

interface ActionRow {
  action: string;
  display_name: string | null;
  group_name: string | null;
}

/** The action catalogue last fetched from /event-actions, kept so a restart classifies offline. */
export class EventActionStore {
  private readonly upsert;
  private readonly list;

  constructor(private readonly db: Db) {
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

  all(orgId: string): ActionInfo[] {
    return this.list.all(orgId).map((row) => ({
      action: row.action,
      displayName: row.display_name,
      groupName: row.group_name,
    }));
  }
}
