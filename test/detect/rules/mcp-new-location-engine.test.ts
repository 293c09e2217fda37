import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { AlertStore } from "../../../src/store/alerts.js";
import { EventActionStore } from "../../../src/store/event-actions.js";
import { EventStore } from "../../../src/store/events.js";
import { openStore } from "../../../src/store/open.js";
import { repositories } from "../../../src/store/repositories.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { VirtualClock } from "../../fakes/virtual-clock.js";
import { capturedLogger } from "../../helpers/logs.js";
import { tempDir } from "../../helpers/tmp.js";
import { MCP_TOOL_CALLED, normalizedEvent, T0 } from "../fixtures.js";

let next = 0;
function event(overrides: Partial<NormalizedEvent>): NormalizedEvent {
  next++;
  const rest = normalizedEvent({ id: `loc-${next}`, ...overrides });
  return rest;
}

describe("mcp-new-location by: subnet, through the engine and a real store", () => {
  it("alerts on each new /24 of a country already seen, and once on the same /24", () => {
    const db = openStore(join(tempDir(), "d.db"));
    new EventActionStore(db).replace("org-1", [MCP_TOOL_CALLED], () => false, T0);
    const engine = new DetectionEngine({
      stores: repositories(db),
      clock: new VirtualClock(T0 + 3 * DAY),
      logger: capturedLogger().logger,
      orgId: "org-1",
      config: parseRulesText("rules: { mcp-new-location: { by: subnet } }\n", "rules.yml"),
    });
    const calls: Array<[string, number]> = [
      ["203.0.113.10", T0],
      ["198.51.100.5", T0 + DAY],
      ["192.0.2.7", T0 + 2 * DAY],
      ["192.0.2.99", T0 + 2 * DAY + 5 * MINUTE], // the same /24 as the call before
    ];
    for (const [ip, time] of calls) {
      db.transaction(() =>
        new EventStore(db).insertMany([event({ ip, country: "Germany", time })], T0 + 3 * DAY),
      )();
      engine.run();
    }
    const location = new AlertStore(db)
      .list("org-1")
      .filter((a) => a.ruleId === "mcp-new-location");
    expect(location.map((a) => [a.title, a.notify])).toEqual([
      ["MCP call by Alice Example from 198.51.100.5 (new /24), not seen in 90 days", true],
      ["MCP call by Alice Example from 192.0.2.7 (new /24), not seen in 90 days", true],
    ]);
    db.close();
  });
});
