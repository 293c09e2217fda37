import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NormalizedEvent } from "../src/domain/event.js";
import { buildCatalog } from "../src/ingest/classify.js";
import { normalize } from "../src/ingest/normalize.js";
import { SyntheticOrg } from "../src/simulator/index.js";
import type { Db } from "../src/store/db.js";
import { EventActionStore } from "../src/store/event-actions.js";
import { EventStore } from "../src/store/events.js";
import { loadMigrations } from "../src/store/migrate.js";
import { openStore } from "../src/store/open.js";
import { DAY } from "../src/time-units.js";

export const EVENTS = 1_000_000;
/** How the store is built: without statistics (no ANALYZE), as the bot's own store is. */
const BUILT = "no statistics";
export const DAYS = 180;

/**
 * A store of 1,000,000 simulated events (500 people, 180 days) ending now, built once per
 * machine in the temp folder (about a minute) and reused by the query and digest benchmarks.
 */
export function millionEventStore(now = Date.now()): { db: Db; orgId: string; org: SyntheticOrg } {
  const dir = join(tmpdir(), "mcp-activity-bench");
  mkdirSync(dir, { recursive: true });
  // Keyed by the schema and the way it is built, so a new migration builds a new store instead of
  // refusing the old one.
  const schema = createHash("sha256")
    .update(
      loadMigrations()
        .map((m) => m.checksum)
        .join() + BUILT,
    )
    .digest("hex")
    .slice(0, 12);
  const path = join(dir, `store-${EVENTS}-${schema}.db`);
  const intervalMs = Math.floor((DAYS * DAY) / EVENTS);
  const fresh = !existsSync(path);
  const db = openStore(path);
  const events = new EventStore(db);
  const orgs = events.orgs();
  if (!fresh && orgs.length === 1 && events.counts(orgs[0] ?? "").events === EVENTS) {
    const org = new SyntheticOrg({
      seed: 42,
      orgId: orgs[0],
      people: 500,
      intervalMs,
      start: now - DAYS * DAY,
    });
    console.log(`(reusing ${path})`);
    return { db, orgId: orgs[0] ?? "", org };
  }
  const org = new SyntheticOrg({
    seed: 42,
    orgId: "org-bench",
    people: 500,
    intervalMs,
    start: now - DAYS * DAY,
  });
  const actions = org.catalog.map((c) => ({
    action: c.id,
    displayName: c.attributes.displayName ?? null,
    groupName: c.attributes.groupDisplayName ?? null,
  }));
  new EventActionStore(db).replace(org.orgId, actions, () => false, now);
  const catalog = buildCatalog(actions);
  const started = performance.now();
  for (let from = 0; from < EVENTS; from += 10_000) {
    const batch: NormalizedEvent[] = [];
    for (let i = from; i < Math.min(EVENTS, from + 10_000); i++) {
      const result = normalize(org.eventAt(i), { orgId: org.orgId, catalog, backfillUntil: null });
      if (result.ok) batch.push(result.event);
    }
    db.transaction(() => events.insertMany(batch, now))();
    if ((from / 10_000) % 20 === 0) console.log(`  building the 1M-event store: ${from} events…`);
  }
  console.log(`built ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { db, orgId: org.orgId, org };
}

/**
 * A copy of the 1M-event store in a fresh temp folder, for a benchmark that writes to it (the
 * cached store stays as built); `remove` deletes the folder.
 */
export function millionEventStoreCopy(now: number): {
  path: string;
  orgId: string;
  remove: () => void;
} {
  const { db, orgId } = millionEventStore(now);
  const source = db.name;
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-copy-"));
  const path = join(dir, "store.db");
  copyFileSync(source, path);
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${path}-wal`);
  return { path, orgId, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
