import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { PrunedBeforeStore } from "../../src/store/pruned-before.js";
import { RetentionStore } from "../../src/store/retention.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { event, person, setup } from "./engine-rig.js";
import { rules } from "./rules-command.js";

/**
 * `rules test` judges mcp-volume-spike on the 14 days before each replayed call, as the bot did,
 * though the bot keeps a person's hourly counts for 15 days only: older hours are counted from
 * the stored events.
 */
const alice = person("acc-alice", "alice@example.com");
function withToolItem(e: NormalizedEvent): NormalizedEvent {
  const raw = JSON.parse(e.raw);
  raw.attributes.context.unshift({ type: "mcp-tool", attributes: { name: e.tool } });
  return { ...e, raw: JSON.stringify(raw) };
}
const read = (time: number): NormalizedEvent =>
  withToolItem(
    event({ ...alice, tool: "getJiraIssue", toolClass: "read", time, processedAt: time + 1000 }),
  );
const hourStart = (t: number) => Math.floor(t / HOUR) * HOUR;

/** What `rules test --days <days>` prints on stdout and stderr. */
async function rulesTest(path: string, days: string): Promise<{ out: string; err: string }> {
  const said = await rules(["test"], { DATABASE_PATH: path }, { days });
  expect(said.code).toBe(0);
  return said;
}

function spikeRow(out: string): number[] {
  const m = /^mcp-volume-spike\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(out);
  return m?.slice(1).map(Number) ?? [];
}

type Hours = { readonly hours: number; readonly calls: number };

/**
 * Alice, calling since 30 days ago: `early` hours from 12 days before T (6 days ago, so 18 days
 * ago: hours the bot no longer keeps), `recent` hours from 5 days before T (every other hour), 100
 * calls at T; judged live as stored, then the bot's daily prune of hourly counts.
 */
function history(early: Hours, recent: Hours) {
  const now = Date.now();
  const T = hourStart(now - 6 * DAY) + 5 * MINUTE;
  const s = setup("", now - 30 * DAY);
  const live = (events: NormalizedEvent[], at: number) => {
    s.clock.advance(at - s.clock.now());
    s.store(events, at);
    s.engine().run();
  };
  const hours = (from: number, every: number, { hours, calls }: Hours) => {
    for (let i = 0; i < hours; i++) {
      const h = hourStart(from) + i * every;
      live(
        Array.from({ length: calls }, (_, j) => read(h + j * 30_000)),
        h + HOUR,
      );
    }
  };
  live([read(now - 30 * DAY)], now - 30 * DAY + MINUTE);
  hours(T - 12 * DAY, HOUR, early);
  hours(T - 5 * DAY, 2 * HOUR, recent);
  live(
    Array.from({ length: 100 }, (_, i) => read(T + i * 30_000)),
    T + HOUR,
  );
  const spikes = s.alerts().filter((a) => a.ruleId === "mcp-volume-spike").length;
  new RetentionStore(s.db).pruneBaselines("org-1", now - 90 * DAY, now);
  return { ...s, spikes, now, T };
}

describe("rules test after the bot pruned its hourly counts", () => {
  it("reports no spike the bot did not raise: the usual busy hour is counted from the events", async () => {
    // Her usual busy hour is 80 (three early hours), not 5 (the recent ones).
    const s = history({ hours: 3, calls: 80 }, { hours: 4, calls: 5 });
    expect(s.spikes).toBe(0); // 100 calls < 3 × 80
    s.db.close();
    const { out, err } = await rulesTest(s.path, "7");
    expect(spikeRow(out)).toEqual([0, 0, 0, 0]);
    expect(out + err).not.toMatch(/partial/);
  }, 60_000);

  it("reports the spike the bot raised: its quiet hours are counted from the events", async () => {
    // 40 early hours of 5 calls keep her usual busy hour at 5: the two recent of 50 are outliers.
    const s = history({ hours: 40, calls: 5 }, { hours: 2, calls: 50 });
    expect(s.spikes).toBe(1); // 100 calls > max(60, 3 × 5)
    s.db.close();
    const [alerts, , posted] = spikeRow((await rulesTest(s.path, "7")).out);
    expect([alerts, posted]).toEqual([1, 1]);
  }, 60_000);

  it("says from when a spike's baseline is partial once retention deleted the events", async () => {
    const s = history({ hours: 3, calls: 80 }, { hours: 4, calls: 5 });
    // Retention deleted the events older than 8 days before T: her busy hours are gone.
    const before = s.T - 8 * DAY;
    const retention = new RetentionStore(s.db);
    retention.pruneEvents("org-1", before, 100_000);
    new PrunedBeforeStore(s.db).record("org-1", before, s.now);
    s.db.close();
    const { out } = await rulesTest(s.path, "7");
    const line = new RegExp(
      `^mcp-volume-spike: baseline partial for the calls made before .*retention deleted before ${new Date(before).toISOString().slice(0, 16)}Z`,
      "m",
    );
    expect(out).toMatch(line);
  }, 60_000);
});
