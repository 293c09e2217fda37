/** A fresh database file with every migration, closed after the test, and alerts to put in it. */
import { join } from "node:path";
import type { AlertStore } from "../../src/store/alerts.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { tempDir } from "../helpers/tmp.js";

export const T = Date.UTC(2026, 10, 4, 10, 0, 0);

/** A connection to the file at `path` (created when missing) and the stores over it. */
export function connect(path: string) {
  const db = openStore(path);
  closeAfterTest(() => db.close());
  return { path, db, ...repositories(db) };
}

/** A new database file in a fresh folder. */
export function freshStore() {
  return connect(join(tempDir(), "store.db"));
}

export type NewAlert = Parameters<AlertStore["insert"]>[0];

/** A high alert about Ada's deleteJiraIssue at T, to be posted, changed by `over`. */
export function newAlert(over: Partial<NewAlert> = {}): NewAlert {
  return {
    orgId: "org-1",
    ruleId: "mcp-destructive",
    severity: "high",
    groupKey: "mcp-destructive|acc-ada",
    title: "deleteJiraIssue by Ada",
    detail: { tool: "deleteJiraIssue", site: "acme.atlassian.net" },
    userId: "acc-ada",
    userName: "Ada",
    userEmail: "ada@example.com",
    authKind: "oauth",
    firstEventSeq: 1,
    lastEventSeq: 1,
    firstSeen: T,
    lastSeen: T,
    eventCount: 1,
    tools: ["deleteJiraIssue"],
    late: false,
    suppressedBy: null,
    notify: true,
    createdAt: T,
    ...over,
  };
}
