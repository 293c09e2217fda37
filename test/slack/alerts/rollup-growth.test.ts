import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { Alert } from "../../../src/domain/alert.js";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { EventActionStore } from "../../../src/store/event-actions.js";
import { MCP_TOOL_CALLED, normalizedEvent, T0 } from "../../detect/fixtures.js";
import { CHANNEL, slackRig } from "../setup.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Rig = Awaited<ReturnType<typeof slackRig>>;

const top = (r: Rig) => r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
const rollups = (r: Rig) => top(r).filter((m) => m.metadata?.event_type === "mcp_alert_rollup");

let n = 0;
/** A write by a migration's API-token account. */
function write(time: number, backfilled: boolean): NormalizedEvent {
  n++;
  const e = normalizedEvent({
    id: `mig-${n}`,
    time,
    processedAt: time + 1000,
    actorId: "acc-svc",
    actorName: "svc-migrate",
    actorEmail: "svc-migrate@example.com",
    userId: "acc-svc",
    userName: "svc-migrate",
    userEmail: "svc-migrate@example.com",
    authKind: "api-token",
    authType: "api-token",
    clientApp: null,
    tool: "editJiraIssue",
    toolClass: "write",
    resource: `MIG-${n}`,
    backfilled,
  });
  return e;
}

/**
 * 15 days of a migration account's usual hours (10 calls each), then 40 minutes of ~35 calls a
 * minute, polled each minute: the engine, the producer and the fake Slack as the bot runs them.
 * `budgetTaken`: ten other alerts took the hour's budget first (a day of many first uses).
 */
async function migration(budgetTaken: boolean) {
  const r = await slackRig();
  new EventActionStore(r.db).replace("org-1", [MCP_TOOL_CALLED], () => false, T0 - 20 * DAY);
  const history: NormalizedEvent[] = [];
  for (let d = 15; d >= 1; d--)
    for (let h = 9; h < 17; h++)
      for (let k = 0; k < 10; k++)
        history.push(write(T0 - d * DAY + (h - 10) * HOUR + k * MIN, true));
  r.stores.events.insertMany(history, T0 - DAY);
  const engine = new DetectionEngine({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
    config: parseRulesText("", "rules.yml"),
  });
  engine.run();
  if (budgetTaken)
    for (let i = 0; i < 10; i++) r.raise({ severity: "medium", ruleId: "mcp-first-use" });
  await r.poster.drain();
  r.clock.advance(5 * MIN);
  for (let m = 0; m < 40; m++) {
    const now = r.clock.now();
    r.stores.events.insertMany(
      Array.from({ length: 35 }, (_, k) => write(now - MIN + k * 1000, false)),
      now,
    );
    engine.run();
    await r.poster.drain();
    r.clock.advance(MIN);
  }
  const mine = r.alerts.list("org-1").filter((a) => a.userId === "acc-svc");
  return { r, mine };
}

/** How many alerts each group has. */
function byGroup(alerts: readonly Alert[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of alerts) counts[a.groupKey] = (counts[a.groupKey] ?? 0) + 1;
  return counts;
}

describe("an alert in the hour's roll-up keeps taking its group's findings", () => {
  it("a migration's spike past the budget is one growing alert, as it is with budget left; the roll-up counts it once and shows it as it is now", async () => {
    const control = await migration(false);
    const { r, mine } = await migration(true);
    expect(byGroup(mine)).toEqual(byGroup(control.mine));
    const spikes = mine.filter((a) => a.ruleId === "mcp-volume-spike");
    expect(spikes).toHaveLength(1);
    const spike = spikes[0] as Alert;
    expect(spike.eventCount).toBeGreaterThan(1000);
    expect(r.stores.deliveries.get("org-1", spike.id)).toMatchObject({ viaSummary: true });
    // Every roll-up counts each of its alerts once, the spike by its title now.
    const counted = rollups(r).map((m) => Number(String(m.text).split(" ")[0]));
    const rolledUp = r.alerts
      .list("org-1")
      .filter((a) => r.stores.deliveries.get("org-1", a.id)?.rollupHour != null);
    expect(counted.reduce((sum, c) => sum + c, 0)).toBe(rolledUp.length);
    // The token's first live use, then its spike: a new pattern of use, an alert of its own.
    const token = mine.filter((a) => a.ruleId === "mcp-api-token");
    expect(token.map((a) => a.eventCount > 1000)).toEqual([false, true]);
    expect(rolledUp.length).toBeLessThan(6);
    const shown = rollups(r).find((m) => JSON.stringify(m.blocks).includes(`alert ${spike.id} `));
    expect(JSON.stringify(shown?.blocks)).toContain(spike.title);
    expect(r.stores.outbox.health().pendingByKind).not.toHaveProperty("rollup-update");
  }, 120_000);
});

describe("the roll-up as its alerts grow", () => {
  it("is updated in place with an alert's growth; one that becomes high is posted alone as well, and says so", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    r.raise({ severity: "medium", title: "first" });
    const id = r.raise({ severity: "medium", title: "3 calls in an hour" });
    await r.poster.drain();
    expect(top(r)).toHaveLength(2);
    const grow = (severity: Alert["severity"], title: string) => {
      const alert = r.alerts.get(id) as Alert;
      const event = {
        seq: alert.firstEventSeq,
        time: alert.firstSeen + MIN,
        late: false,
        tools: alert.tools,
        severity,
        notify: true,
        retitle: { title, detail: {} },
      };
      r.alerts.grow(alert, event, r.clock.now());
    };
    grow("medium", "900 calls in an hour");
    r.clock.advance(MIN);
    await r.poster.drain();
    expect(top(r)).toHaveLength(2);
    const [rollup] = rollups(r);
    expect(rollup?.updates).toBe(1);
    expect(JSON.stringify(rollup?.blocks)).toContain(`alert ${id} · medium · 900 calls in an hour`);

    grow("high", "2000 calls in an hour");
    r.clock.advance(MIN);
    await r.poster.drain();
    const alone = top(r).filter((m) => m.metadata?.event_payload.alert_id === id);
    expect(alone).toHaveLength(1);
    expect(String(alone[0]?.text)).toContain("[HIGH]");
    expect(rollups(r)[0]?.text).toBe("1 more alert this hour, past the channel's 1 an hour");
    expect(JSON.stringify(rollups(r)[0]?.blocks)).toContain(
      `alert ${id} · high · 2000 calls in an hour · posted alone once it became high`,
    );
    expect(r.stores.deliveries.get("org-1", id)).toMatchObject({
      viaSummary: false,
      ts: alone[0]?.ts,
    });

    // Posted alone, it grows as posted alerts do: its message updated, never posted again.
    grow("high", "3000 calls in an hour");
    r.clock.advance(MIN);
    await r.poster.drain();
    expect(top(r).filter((m) => m.metadata?.event_payload.alert_id === id)).toHaveLength(1);
    expect(JSON.stringify(top(r).find((m) => m.ts === alone[0]?.ts)?.blocks)).toContain(
      "3000 calls in an hour",
    );
    expect(JSON.stringify(rollups(r)[0]?.blocks)).toContain("3000 calls in an hour");
    expect(top(r)).toHaveLength(3);
  });

  it("is not posted anew for a growth once its post is gone from the outbox", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    r.raise({ severity: "medium" });
    const id = r.raise({ severity: "medium" });
    await r.poster.drain();
    r.db.prepare("DELETE FROM outbox WHERE kind IN ('rollup', 'rollup-update')").run();
    const alert = r.alerts.get(id) as Alert;
    r.alerts.grow(
      alert,
      { ...alert, seq: alert.firstEventSeq, time: alert.firstSeen, late: false },
      r.clock.now(),
    );
    await r.poster.drain();
    expect(rollups(r)).toHaveLength(1);
    expect(top(r)).toHaveLength(2);
    expect(r.stores.deliveries.pending("org-1", 10)).toEqual([]);
  });
});
