import { describe, expect, it } from "vitest";
import { mcpVolumeSpike, usualHour } from "../../../src/detect/rules/mcp-volume-spike.js";
import { DAY } from "../../../src/time-units.js";
import { context, mcpEvent, T0 } from "../fixtures.js";

const s = { factor: 3, minCalls: 60 };
const hourly = (lastHour: number, activeHours: number[], days = 20) => ({
  hourly: { lastHour, firstCall: T0 - days * DAY, activeHours },
});
/** 100 working hours of 10 to 30 calls: the usual busy hour is 29. */
const BUSY = Array.from({ length: 100 }, (_, k) => 10 + (k % 21));

describe("mcp-volume-spike", () => {
  it("takes the 95th percentile of the hours with calls as the usual busy hour", () => {
    expect(usualHour(BUSY)).toBe(29);
    expect(usualHour([])).toBe(0);
    expect(usualHour([7])).toBe(7);
  });

  it("raises above factor × the usual busy hour", () => {
    const hit = mcpVolumeSpike.evaluate(mcpEvent(), hourly(120, BUSY), s, context);
    expect(hit?.title).toBe(
      "120 MCP calls by Alice Example in an hour, against 29 in their usual busy hour",
    );
    expect(hit?.detail).toMatchObject({ calls: 120, usualHour: 29, threshold: 87 });
  });

  it("is silent within the person's own range, and below minCalls whatever the baseline", () => {
    expect(mcpVolumeSpike.evaluate(mcpEvent(), hourly(80, BUSY), s, context)).toBeNull();
    expect(mcpVolumeSpike.evaluate(mcpEvent(), hourly(59, [1, 1, 2]), s, context)).toBeNull();
    expect(mcpVolumeSpike.evaluate(mcpEvent(), {}, s, context)).toBeNull();
  });

  it("at the edge: exactly the threshold is not a spike, one more is; 14 days of history needed", () => {
    expect(mcpVolumeSpike.evaluate(mcpEvent(), hourly(87, BUSY), s, context)).toBeNull();
    expect(mcpVolumeSpike.evaluate(mcpEvent(), hourly(88, BUSY), s, context)).not.toBeNull();
    expect(mcpVolumeSpike.evaluate(mcpEvent(), hourly(61, []), s, context)?.detail.threshold).toBe(
      60,
    );
    expect(mcpVolumeSpike.evaluate(mcpEvent(), hourly(500, BUSY, 13), s, context)).toBeNull();
    const newcomer = { hourly: { lastHour: 500, firstCall: null, activeHours: [] } };
    expect(mcpVolumeSpike.evaluate(mcpEvent(), newcomer, s, context)).toBeNull();
  });

  it("takes factor and minCalls from the rules file, refusing a factor of 1 or less", async () => {
    const { parseRulesText } = await import("../../../src/detect/rules-file.js");
    const config = parseRulesText(
      "rules:\n  mcp-volume-spike: { factor: 2.5, minCalls: 30 }",
      "r.yml",
    );
    expect(config.rules["mcp-volume-spike"]?.settings).toEqual({ factor: 2.5, minCalls: 30 });
    expect(() => parseRulesText("rules:\n  mcp-volume-spike: { factor: 1 }", "r.yml")).toThrow(
      /rules\.mcp-volume-spike\.factor: expected a number above 1/,
    );
  });
});
