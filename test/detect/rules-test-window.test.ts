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
function store(path: string, events: number, days: number, orgId = "org-scale"): void {
  const now = Date.now();
  const db = openStore(path);
  const org = new SyntheticOrg({
    seed: 42,
    orgId,
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

/** What `rules test --days <days>` prints. */
async function rulesTest(path: string, days: string): Promise<string> {
  let out = "";
  const code = await rulesCommand.run(
    { values: { days }, positionals: ["test"] } as never,
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
  return out;
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
      out = await rulesTest(path, "1");
    } finally {
      spy.mockRestore();
    }
    const replayed = Number(/org-scale: (\d+) events of the last 1 day/.exec(out)?.[1]);
    expect(replayed).toBeGreaterThan(0);
    // One chunk (2,000) to find the first day stored is fair; the 59 other days are not.
    expect(read).toBeLessThanOrEqual(replayed + 2_000);
  }, 60_000);
});

describe("rules test: the channel's messages a day", () => {
  it("with less than a day stored, divides by one day, not by the --days asked", async () => {
    const path = join(tempDir(), "store.db");
    store(path, 600, 0.25); // six hours stored: a first install tried the same afternoon
    const out = await rulesTest(path, "7");
    expect(out).toMatch(/less than a day is stored/);
    const messages = Number(
      /^channel: (\d+) message\(s\) in [56] hour\(s\), counted as 1 day;/m.exec(out)?.[1],
    );
    expect(messages).toBeGreaterThan(0);
    // Less than a day counts as one: six hours' messages are that many a day, not a seventh.
    const mean = Number(/ (\d+\.\d) messages a day on average/.exec(out)?.[1]);
    expect(mean).toBe(messages);
  }, 60_000);

  it("says --days 7 over a longer history is 7 days, for each organization and the channel", async () => {
    const path = join(tempDir(), "store.db");
    store(path, 600, 10, "org-a");
    store(path, 600, 10, "org-b");
    const out = await rulesTest(path, "7");
    const counted = [...out.matchAll(/message\(s\) in ([\d.]+) day\(s\)/g)].map((m) => m[1]);
    expect(counted).toEqual(["7", "7", "7"]);
  }, 60_000);
});
