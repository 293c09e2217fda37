import { statSync } from "node:fs";
import { EVENTS, millionEventStore } from "./store-1m.js";

/** Bytes per stored event on the 1M-event store: the whole file, every index included. */
export async function benchStorage(): Promise<void> {
  const { db } = millionEventStore();
  db.pragma("wal_checkpoint(TRUNCATE)");
  const pages = db.pragma("page_count", { simple: true }) as number;
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  const free = db.pragma("freelist_count", { simple: true }) as number;
  const file = statSync(db.name).size;
  const parts = db
    .prepare<[], { name: string; bytes: number }>(
      "SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8",
    )
    .all();
  const raw = db
    .prepare<[], { n: number; bytes: number }>(
      "SELECT (SELECT count(*) FROM event_rows) AS n, sum(length(data)) AS bytes FROM raw_blocks",
    )
    .get();
  db.close();
  const perEvent = (pages * pageSize) / EVENTS;
  console.log(
    `bytes per stored event:      ${perEvent.toFixed(1)} (file ${(file / 1e6).toFixed(0)} MB for ${EVENTS} events, ${free} free pages; target <= 400)`,
  );
  console.log(
    `raw JSON, compressed:        ${((raw?.bytes ?? 0) / (raw?.n || 1)).toFixed(0)} bytes per event on average`,
  );
  console.log(
    `largest parts (bytes/event): ${parts.map((p) => `${p.name} ${(p.bytes / EVENTS).toFixed(0)}`).join(", ")}`,
  );
}
