import Database from "better-sqlite3";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize } from "../../src/ingest/normalize.js";
import { SyntheticOrg } from "../../src/simulator/index.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";

const DAY = 86_400_000;

/**
 * A database as release 0006 left it (before migration 0007 rebuilt the events table), with
 * `count` simulated events, written in batches so a large one needs little memory.
 */
export function databaseV6(path: string, count: number): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, loadMigrations().slice(0, 6));
  const org = new SyntheticOrg({
    seed: 5,
    orgId: "org-m",
    people: 40,
    intervalMs: 60_000,
    start: Date.now() - 100 * DAY,
  });
  const catalog = buildCatalog(
    org.catalog.map((c) => ({
      action: c.id,
      displayName: c.attributes.displayName ?? null,
      groupName: c.attributes.groupDisplayName ?? null,
    })),
  );
  const columns =
    "org_id, id, time, processed_at, action, actor_id, actor_name, actor_email, auth_kind, auth_type, token_label, on_behalf_of_id, on_behalf_of_name, on_behalf_of_email, user_id, user_name, user_email, ip, country, city, site_host, product, is_mcp, mcp_basis, client_app, tool, tool_class, resource, message, backfilled, ingested_at, raw";
  const insert = db.prepare(
    `INSERT INTO events (${columns}) VALUES (${columns
      .split(", ")
      .map(() => "?")
      .join(", ")})`,
  );
  const add = db.transaction((events: NormalizedEvent[]) => {
    for (const e of events)
      insert.run(
        e.orgId,
        e.id,
        e.time,
        e.processedAt,
        e.action,
        e.actorId,
        e.actorName,
        e.actorEmail,
        e.authKind,
        e.authType,
        e.tokenLabel,
        e.onBehalfOfId,
        e.onBehalfOfName,
        e.onBehalfOfEmail,
        e.userId,
        e.userName,
        e.userEmail,
        e.ip,
        e.country,
        e.city,
        e.siteHost,
        e.product,
        e.isMcp ? 1 : 0,
        e.mcpBasis,
        e.clientApp,
        e.tool,
        e.toolClass,
        e.resource,
        e.message,
        e.backfilled ? 1 : 0,
        7,
        e.raw,
      );
  });
  let batch: NormalizedEvent[] = [];
  for (let i = 0, n = 0; n < count; i++) {
    const result = normalize(org.eventAt(i), { orgId: org.orgId, catalog, backfillUntil: null });
    if (!result.ok) continue;
    batch.push(result.event);
    n++;
    if (batch.length === 5000) {
      add(batch);
      batch = [];
    }
  }
  add(batch);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}
