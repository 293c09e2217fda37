import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPLAY_PROGRESS_EVERY } from "../../src/commands/rules-test-lines.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize } from "../../src/ingest/normalize.js";
import { SyntheticOrg } from "../../src/simulator/index.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { DAY } from "../../src/time-units.js";
import { tempDir } from "../helpers/tmp.js";
import { rules } from "./rules-command.js";

/** `events` of a synthetic organization over the last `days` days. */
function store(events: number, days: number): string {
  const path = join(tempDir(), "store.db");
  const now = Date.now();
  const db = openStore(path);
  const org = new SyntheticOrg({
    seed: 7,
    orgId: "org-long",
    people: 100,
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
  const batch: NormalizedEvent[] = [];
  for (let i = 0; i < events; i++) {
    const r = normalize(org.eventAt(i), { orgId: org.orgId, catalog, backfillUntil: null });
    if (r.ok) batch.push(r.event);
  }
  db.transaction(() => new EventStore(db).insertMany(batch, now))();
  db.close();
  return path;
}

const progressLine =
  /^rules test: org-long: (\d+) events replayed, up to \S+Z \((\d+)% of the days asked\)$/gm;

describe("rules test on a long replay", () => {
  it("says on stderr how far it has got, while stdout keeps the report", async () => {
    const path = store(REPLAY_PROGRESS_EVERY + 5_000, 3);
    const { code, out, err } = await rules(["test"], { DATABASE_PATH: path }, { days: "7" });
    expect(code).toBe(0);
    const lines = [...err.matchAll(progressLine)];
    expect(lines.length).toBe(1);
    const [, replayed, share] = lines[0] ?? [];
    expect(Number(replayed)).toBeGreaterThanOrEqual(REPLAY_PROGRESS_EVERY);
    expect(Number(share)).toBeGreaterThan(0);
    expect(Number(share)).toBeLessThan(100);
    expect(out).not.toMatch(/events replayed, up to/);
    expect(out).toMatch(/^org-long: \d+ events of the last 7 day\(s\) replayed$/m);
  }, 120_000);

  it("says nothing of progress on a short one", async () => {
    const path = store(600, 3);
    const { code, err } = await rules(["test"], { DATABASE_PATH: path }, { days: "7" });
    expect(code).toBe(0);
    expect(err).not.toMatch(/events replayed/);
  }, 60_000);
});
