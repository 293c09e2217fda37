import { describe, expect, it } from "vitest";
import { MINUTE } from "../ingest/setup.js";
import { weeksThenLive } from "./weeks.js";

describe("personal baselines, through the simulator", () => {
  it("tell of the seeded scope expansion once, and of a person's spike above their own hours", async () => {
    const { r, engine, store } = await weeksThenLive(() => "");
    const alerts = store.list(r.sim.orgId);
    const expansion = r.sim.org.incidents().find((i) => i.kind === "scope-expansion");
    const scopes = alerts.filter((a) => a.ruleId === "mcp-new-scope");
    // Seventeen days of history: the seeded place and site are the new ones, one alert each.
    const drift = r.sim.org.incidents().find((i) => i.kind === "posture-drift");
    expect(scopes.map((a) => a.userId).sort()).toEqual([expansion?.actorId, drift?.actorId].sort());
    const [seeded, site] = [expansion, drift].map((i) =>
      scopes.find((a) => a.userId === i?.actorId),
    );
    expect(site?.detail.scopes).toContain("site acme-legal.atlassian.net");
    expect(seeded).toMatchObject({
      userId: expansion?.actorId,
      notify: true,
      eventCount: 1,
      detail: { scopes: "space LEGAL on acme.atlassian.net", tool: "getConfluencePage" },
    });
    expect(Number(seeded?.detail.historyDays)).toBeGreaterThanOrEqual(14);
    expect(alerts.filter((a) => a.ruleId === "mcp-volume-spike")).toEqual([]);

    // The same person's AI tool then reads 90 pages within a quarter of an hour.
    const theirs = [...r.sim.validEventsUpTo()].filter(
      (e) =>
        e.attributes.action === r.sim.org.actionKeyOf(r.sim.org.mcpActionKey) &&
        JSON.stringify(e.attributes.actor ?? {}).includes(`"id":"${expansion?.actorId}"`),
    );
    const call = theirs.at(-1);
    if (!call) throw new Error("no call of theirs to repeat");
    const now = r.clock.now();
    r.sim.injectEvents(
      Array.from({ length: 90 }, (_, k) => ({
        ...call,
        id: `00000000-0000-4000-8000-${String(k).padStart(12, "0")}`,
        attributes: { ...call.attributes, time: new Date(now - (90 - k) * 10_000).toISOString() },
      })),
    );
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    engine?.run();
    const spikes = store.list(r.sim.orgId).filter((a) => a.ruleId === "mcp-volume-spike");
    expect(spikes).toHaveLength(1); // the calls past the threshold grow one alert
    expect(spikes[0]).toMatchObject({
      userId: expansion?.actorId,
      notify: true,
      severity: "medium",
    });
    const usual = Number(spikes[0]?.detail.usualHour);
    expect(usual).toBeGreaterThan(0);
    expect(Number(spikes[0]?.detail.threshold)).toBe(Math.max(60, Math.ceil(3 * usual)));
    expect(spikes[0]?.eventCount).toBeGreaterThan(1);
  }, 90_000);
});
