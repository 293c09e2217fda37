import { describe, expect, it } from "vitest";
import { mcpNewLocation } from "../../../src/detect/rules/mcp-new-location.js";
import { context, mcpEvent } from "../fixtures.js";

const byCountry = mcpNewLocation.settings.parse({});
const places = (countrySeen: boolean, subnetSeen: boolean, known = true) => ({
  places: { located: known, addressed: known, countrySeen, subnetSeen },
});

describe("mcp-new-location", () => {
  it("raises on a country not seen for the person in 90 days", () => {
    const hit = mcpNewLocation.evaluate(
      mcpEvent({ country: "Brazil" }),
      places(false, false),
      byCountry,
      context,
    );
    expect(hit?.title).toBe("MCP call by Alice Example from Brazil, not seen in 90 days");
  });

  it("ignores a new /24 in a known country unless asked to watch subnets", () => {
    expect(mcpNewLocation.evaluate(mcpEvent(), places(true, false), byCountry, context)).toBeNull();
    const bySubnet = mcpNewLocation.settings.parse({ by: "subnet" });
    expect(mcpNewLocation.evaluate(mcpEvent(), places(true, false), bySubnet, context)?.title).toBe(
      "MCP call by Alice Example from 203.0.113.10 (new /24), not seen in 90 days",
    );
  });

  it("leaves a person's very first call to mcp-first-use", () => {
    expect(
      mcpNewLocation.evaluate(mcpEvent(), places(false, false, false), byCountry, context),
    ).toBeNull();
  });

  it("needs earlier calls that said where they came from: an API token's calls without a place tell nothing", () => {
    const unplaced = {
      places: { located: false, addressed: true, countrySeen: false, subnetSeen: true },
    };
    expect(
      mcpNewLocation.evaluate(mcpEvent({ country: "Ireland" }), unplaced, byCountry, context),
    ).toBeNull();
    const bySubnet = mcpNewLocation.settings.parse({ by: "subnet" });
    const noAddress = {
      places: { located: true, addressed: false, countrySeen: true, subnetSeen: false },
    };
    expect(mcpNewLocation.evaluate(mcpEvent(), noAddress, bySubnet, context)).toBeNull();
  });

  it("is silent from a known place", () => {
    expect(mcpNewLocation.evaluate(mcpEvent(), places(true, true), byCountry, context)).toBeNull();
  });
});
