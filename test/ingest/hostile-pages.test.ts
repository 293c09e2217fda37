/**
 * Hostile audit-log items through the real poller: the simulator's pages, with generated items
 * spliced in as raw JSON text by a proxy on 127.0.0.1, read into a real SQLite file.
 * Promised (docs/architecture.md): a malformed entry goes to quarantined_events with its raw JSON
 * and the reason, the poll goes on, nothing is lost and nothing is stored twice.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MINUTE, NOW, type Rig, rig } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** A rig whose next live page gets `items()` (JSON texts) first in its data, once per call of `arm`. */
async function splicingRig(topLevel = "") {
  const r = await rig({ hours: 1 });
  let extra: string[] | undefined;
  const url = await proxy(r.sim.url, async (u, forward) => {
    const answer = await forward(u);
    if (!extra || !u.searchParams.get("cursor")) return answer;
    const items = extra;
    extra = undefined;
    const empty = answer.body.includes('"data":[]');
    const spliced = `${topLevel}"data":[${items.join(",")}${empty || items.length === 0 ? "" : ","}`;
    const body = answer.body.replace('"data":[', () => spliced);
    return { ...answer, body };
  });
  const poller = pollerVia(r, url);
  await poller.pollOnce(); // the backfill, untouched
  return {
    r,
    poller,
    arm(items: string[]) {
      extra = items;
      r.clock.advance(MINUTE);
    },
  };
}

function quarantined(r: Rig): Array<{ event_id: string | null; error: string; raw: string }> {
  return r.db
    .prepare<[], { event_id: string | null; error: string; raw: string }>(
      "SELECT event_id, error, raw FROM quarantined_events ORDER BY seq",
    )
    .all();
}

describe("hostile items through the poller", () => {
  it("keeps the raw JSON of a deeply nested malformed item, and each such item", async () => {
    const { r, poller, arm } = await splicingRig();
    arm([
      `{"id":"deep-bad-1","attributes":{"action":"x","junk":${deep(20_000)}}}`,
      `{"id":"deep-bad-2","attributes":{"action":"y","junk":${deep(20_000)}}}`,
    ]);
    await poller.pollOnce();
    const rows = quarantined(r);
    // Rebuilt with JSON.stringify, each overflowed the stack: "[object Object]", kept once for both.
    expect(rows.map((row) => row.event_id)).toEqual(["deep-bad-1", "deep-bad-2"]);
    for (const row of rows) expect(row.raw).toContain('"junk":[[[[');
  });

  it("never wedges on a deeply nested event when the page's texts cannot be split", async () => {
    // A top-level key written with an escape: valid JSON, and dataItemTexts gives up on it.
    const { r, poller, arm } = await splicingRig('"x\\u0079":1,');
    arm([
      `{"id":"deep-good","attributes":{"time":"${iso(NOW)}","action":"user_logged_in","junk":${deep(20_000)}}}`,
    ]);
    // Normalised without its page text, JSON.stringify overflows: the item alone is quarantined.
    await poller.pollOnce();
    expect(r.count("id = 'deep-good'") + quarantined(r).length).toBe(1);
  });

  it("quarantines an event whose time no Date can hold (it cannot be shown or exported)", async () => {
    const { r, poller, arm } = await splicingRig();
    arm([`{"id":"far","attributes":{"time":8700000000000000,"action":"user_logged_in"}}`]);
    await poller.pollOnce();
    expect(r.count("id = 'far'")).toBe(0);
    expect(quarantined(r).map((row) => row.event_id)).toEqual(["far"]);
  });

  it("stores every good item once and quarantines every bad one, whatever the page holds", async () => {
    const { r, poller, arm } = await splicingRig();
    let run = 0;
    const field = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.string({ unit: "binary", maxLength: 30 }),
      fc.constantFrom(null, [], {}, "\u0000", "\ud800", "\u202e\u200d", "<!channel>", 2 ** 53),
    );
    // Items: none, one object, or a list of objects; any other shape quarantines the event.
    const object = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }));
    const items = fc.oneof(fc.constant(null), object, fc.array(object, { maxLength: 3 }));
    const good = fc.record({
      actor: field,
      context: items,
      container: items,
      location: field,
      message: field,
    });
    const bad = fc.oneof(
      fc
        .jsonValue({ maxDepth: 3 })
        .filter((v) => typeof v !== "object" || v === null || Array.isArray(v)),
      fc.record({ attributes: field }),
      fc.record({ id: fc.constantFrom(7, null, "", ["a"]), attributes: field }),
      fc.record({
        time: fc.constantFrom("1793614272", "2026-13-01T00:00:00Z", "yesterday", -5, 1.5, null),
      }),
      fc.record({
        time: fc.constant(iso(NOW)),
        context: fc.oneof(fc.string(), fc.integer(), fc.constant(true), fc.constant([{}, 1])),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            good.map((g) => ({ g })),
            bad.map((b) => ({ b })),
          ),
          { maxLength: 12 },
        ),
        async (entries) => {
          run++;
          const texts: string[] = [];
          const goodIds: string[] = [];
          const badTexts: string[] = [];
          entries.forEach((entry, i) => {
            if ("g" in entry) {
              const id = `g-${run}-${i}`;
              goodIds.push(id);
              texts.push(
                JSON.stringify({
                  id,
                  attributes: { time: iso(NOW), action: "user_logged_in", ...entry.g },
                  message: entry.g.message,
                }),
              );
            } else {
              const b = entry.b as { time?: unknown };
              const item =
                b && typeof b === "object" && "time" in b
                  ? { id: `b-${run}-${i}`, attributes: { ...b, action: "x" } }
                  : b;
              const text = JSON.stringify(item);
              texts.push(text);
              badTexts.push(text);
            }
          });
          arm(texts);
          const before = r.count();
          await poller.pollOnce();
          for (const id of goodIds) expect(r.count(`id = '${id}'`), id).toBe(1);
          const raws = new Set(quarantined(r).map((row) => row.raw));
          for (const text of badTexts)
            expect(raws.has(JSON.stringify(JSON.parse(text))), text).toBe(true);
          expect(r.count()).toBeGreaterThanOrEqual(before + goodIds.length);
          const dupes = r.db.prepare("SELECT id FROM events GROUP BY id HAVING count(*) > 1").all();
          expect(dupes).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
