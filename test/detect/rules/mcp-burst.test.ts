import { describe, expect, it } from "vitest";
import { mcpBurst } from "../../../src/detect/rules/mcp-burst.js";
import { context, mcpEvent } from "../fixtures.js";

const settings = mcpBurst.settings.parse({});
const recent = (calls: number, distinctReads = 0) => ({ recent: { calls, distinctReads } });

describe("mcp-burst", () => {
  it("defaults to more than 50 calls in 10 minutes or more than 100 resources read", () => {
    expect(settings).toEqual({ calls: 50, windowMinutes: 10, distinctResources: 100 });
  });

  it("is silent when the threshold is exactly met", () => {
    expect(mcpBurst.evaluate(mcpEvent(), recent(50, 100), settings, context)).toBeNull();
  });

  it("raises one past the threshold", () => {
    expect(mcpBurst.evaluate(mcpEvent(), recent(51), settings, context)?.title).toBe(
      "51 MCP calls by Alice Example within 10 minutes",
    );
  });

  it("raises on the bulk-export shape: many distinct resources read", () => {
    const hit = mcpBurst.evaluate(mcpEvent(), recent(40, 101), settings, context);
    expect(hit?.title).toBe("101 different resources read by Alice Example within 10 minutes");
  });

  it("follows configured thresholds", () => {
    const strict = mcpBurst.settings.parse({ calls: 5, windowMinutes: 1 });
    expect(mcpBurst.evaluate(mcpEvent(), recent(6), strict, context)?.detail).toMatchObject({
      threshold: 5,
      windowMinutes: 1,
    });
  });

  it("rejects a bad threshold with its path", () => {
    const result = mcpBurst.settings.safeParse({ calls: -3 });
    expect(result.error?.issues[0]).toMatchObject({
      path: ["calls"],
      message: "expected a positive integer",
    });
  });
});
