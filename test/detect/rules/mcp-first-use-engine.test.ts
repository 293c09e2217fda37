import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { event, person, setup } from "../engine-rig.js";
import { T0 } from "../fixtures.js";

const nina = person("acc-nina", "nina@acme.test");

describe("mcp-first-use, through the engine and a real store", () => {
  it("a person whose earlier calls named no tool is not new when a call names one", () => {
    const s = setup();
    s.store([event({ ...nina, tool: null, toolClass: null, backfilled: true, time: T0 - HOUR })]);
    s.store([event({ ...nina, time: T0 })]);
    s.engine().run();
    expect(s.alerts().filter((a) => a.ruleId === "mcp-first-use")).toEqual([]);
  });

  it("an authorization of the MCP app classed as MCP is no first call", () => {
    const s = setup();
    s.store([event({ backfilled: true, time: T0 - HOUR })]);
    // An action the catalogue does not list, taken for MCP by its key.
    const authorization = event({
      ...nina,
      action: "mcp_app_authorized",
      mcpBasis: "guessed",
      tool: null,
      toolClass: null,
      clientApp: null,
      message: "nina@acme.test authorized Atlassian MCP for acme.atlassian.net",
      time: T0,
    });
    s.store([authorization]);
    s.engine().run();
    expect(s.alerts().map((a) => a.ruleId)).not.toContain("mcp-first-use");
    expect(s.alerts().map((a) => a.ruleId)).toContain("mcp-app-authorized");
  });
});
