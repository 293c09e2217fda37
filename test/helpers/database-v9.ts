import Database from "better-sqlite3";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize } from "../../src/ingest/normalize.js";
import { SyntheticOrg } from "../../src/simulator/index.js";
import { eventKey } from "../../src/store/event-key.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";

const DAY = 86_400_000;

/** A database as release 0009 left it, with `count` simulated events (a tenth of them backfilled). */
export function databaseV9(path: string, count: number): NormalizedEvent[] {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, loadMigrations().slice(0, 9));
  const org = new SyntheticOrg({
    seed: 5,
    orgId: "org-m",
    people: 40,
    intervalMs: 60_000,
    start: Date.now() - 10 * DAY,
  });
  const catalog = buildCatalog(
    org.catalog.map((c) => ({
      action: c.id,
      displayName: c.attributes.displayName ?? null,
      groupName: c.attributes.groupDisplayName ?? null,
    })),
  );
  const events: NormalizedEvent[] = [];
  for (let i = 0; events.length < count; i++) {
    const result = normalize(org.eventAt(i), { orgId: org.orgId, catalog, backfillUntil: null });
    if (result.ok) events.push({ ...result.event, backfilled: events.length < count / 10 });
  }
  const columns =
    "org_id, id, id_key, time, processed_at, action, actor_id, actor_name, actor_email, auth_kind, auth_type, token_label, on_behalf_of_id, on_behalf_of_name, on_behalf_of_email, user_id, user_name, user_email, ip, country, city, site_host, product, is_mcp, mcp_basis, client_app, tool, tool_class, resource, message, backfilled, ingested_at, raw";
  const insert = db.prepare(
    `INSERT INTO events (${columns}) VALUES (${columns
      .split(", ")
      .map(() => "?")
      .join(", ")})`,
  );
  db.transaction(() => {
    for (const e of events)
      insert.run(
        e.orgId,
        e.id,
        eventKey(e.orgId, e.id),
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
  })();
  db.close();
  return events;
}
