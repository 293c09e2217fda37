import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { DEFAULT_RULES_FILE } from "../../src/detect/rules-file.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, rig } from "../ingest/setup.js";

describe("rules on live ingest", () => {
  it("alert on what arrives after the backfill, as each commit lands, and never on history", async () => {
    let engine: DetectionEngine | undefined;
    const r = await rig({ hours: 48, poller: { onCommit: () => engine?.runSafely() } });
    engine = new DetectionEngine({
      stores: repositories(r.db),
      clock: r.clock,
      logger: r.logs.logger,
      orgId: r.sim.orgId,
      config: DEFAULT_RULES_FILE,
    });
    await r.poller.pollOnce();
    const alerts = new AlertStore(r.db);
    expect(alerts.list(r.sim.orgId)).toEqual([]);

    r.clock.advance(24 * 60 * MINUTE);
    await r.poller.pollOnce();
    const raised = alerts.list(r.sim.orgId);
    expect(raised.length).toBeGreaterThan(0);
    const liveSeqs = r.db
      .prepare("SELECT min(seq) AS first FROM events WHERE backfilled = 0")
      .get() as { first: number };
    for (const alert of raised) expect(alert.firstEventSeq).toBeGreaterThanOrEqual(liveSeqs.first);
    const writes = r.count("backfilled = 0 AND tool_class = 'write'");
    const writeAlertEvents = raised
      .filter((a) => a.ruleId === "mcp-write")
      .reduce((n, a) => n + a.eventCount, 0);
    expect(writeAlertEvents).toBe(writes);
  });
});
