import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { rulesCommand } from "../../src/commands/rules.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize } from "../../src/ingest/normalize.js";
import { SyntheticOrg } from "../../src/simulator/index.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { DAY } from "../../src/time-units.js";
import { tempDir } from "../helpers/tmp.js";

/** `days` days of a synthetic organization's events (the bench store's builder, smaller). */
function store(path: string, events: number, days: number): void {
  const now = Date.now();
  const db = openStore(path);
  const org = new SyntheticOrg({
    seed: 42,
    orgId: "org-scale",
    people: 200,
    intervalMs: Math.floor((days * DAY) / events),
    start: now - days * DAY,
  });
  const actions = org.catalog.map((c) => ({
    action: c.id,
    displayName: c.attributes.displayName ?? null,
    groupName: c.attributes.groupDisplayName ?? null,
  }));
  new EventActionStore(db).replace(org.orgId, actions, () => false, now);
  const catalog = buildCatalog(actions);
  const stored = new EventStore(db);
  const batch: NormalizedEvent[] = [];
  for (let i = 0; i < events; i++) {
    const r = normalize(org.eventAt(i), { orgId: org.orgId, catalog, backfillUntil: null });
    if (r.ok) batch.push(r.event);
  }
  db.transaction(() => stored.insertMany(batch, now))();
  db.close();
}

/**
 * `rules test --days 1` on 60 days stored: it reads the day asked for (and the first chunk, to
 * find the first day stored), not every event with its raw JSON decoded, then drops them.
 */
describe("rules test on a long history", () => {
  it("reads the days asked for, not every event stored", async () => {
    const path = join(tempDir(), "store.db");
    store(path, 8_000, 60);
    let read = 0;
    const iterate = EventStore.prototype.iterate;
    const spy = vi.spyOn(EventStore.prototype, "iterate").mockImplementation(function* (
      this: EventStore,
      ...args: Parameters<EventStore["iterate"]>
    ) {
      for (const chunk of iterate.apply(this, args)) {
        read += chunk.length;
        yield chunk;
      }
    });
    let out = "";
    try {
      const code = await rulesCommand.run(
        { values: { days: "1" }, positionals: ["test"] } as never,
        {
          env: { DATABASE_PATH: path },
          stdout: {
            write: (text: string) => {
              out += text;
              return true;
            },
          },
          stderr: { write: () => true },
        } as never,
      );
      expect(code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const replayed = Number(/org-scale: (\d+) events of the last 1 day/.exec(out)?.[1]);
    expect(replayed).toBeGreaterThan(0);
    // One chunk (2,000) to find the first day stored is fair; the 59 other days are not.
    expect(read).toBeLessThanOrEqual(replayed + 2_000);
  }, 60_000);
});
