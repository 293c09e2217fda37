/** Simulated events as the releases before migration 0010 stored them (see database-v6, -v9). */
import type { NormalizedEvent } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize } from "../../src/ingest/normalize.js";
import { SyntheticOrg } from "../../src/simulator/index.js";

const DAY = 86_400_000;

/** The normalised events of a 40-person simulated organization begun `daysAgo` days ago, in order. */
export function* simulatedEvents(daysAgo: number): Generator<NormalizedEvent> {
  const org = new SyntheticOrg({
    seed: 5,
    orgId: "org-m",
    people: 40,
    intervalMs: 60_000,
    start: Date.now() - daysAgo * DAY,
  });
  const catalog = buildCatalog(
    org.catalog.map((c) => ({
      action: c.id,
      displayName: c.attributes.displayName ?? null,
      groupName: c.attributes.groupDisplayName ?? null,
    })),
  );
  for (let i = 0; ; i++) {
    const result = normalize(org.eventAt(i), { orgId: org.orgId, catalog, backfillUntil: null });
    if (result.ok) yield result.event;
  }
}

/** The columns of the `events` table before 0010 (0007 added `id_key` after `id`). */
export const LEGACY_COLUMNS =
  "org_id, id, time, processed_at, action, actor_id, actor_name, actor_email, auth_kind, auth_type, token_label, on_behalf_of_id, on_behalf_of_name, on_behalf_of_email, user_id, user_name, user_email, ip, country, city, site_host, product, is_mcp, mcp_basis, client_app, tool, tool_class, resource, message, backfilled, ingested_at, raw";

/** An event's values for LEGACY_COLUMNS, in their order. */
export function legacyValues(e: NormalizedEvent): unknown[] {
  return [
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
  ];
}

/** `INSERT INTO events (columns) VALUES (?, …)`. */
export const insertInto = (columns: string) =>
  `INSERT INTO events (${columns}) VALUES (${columns
    .split(", ")
    .map(() => "?")
    .join(", ")})`;
