/**
 * The realistic profile's ordinary traffic carries, rarely, what Detection v2 is about: v2
 * wrappers with the operation they ran, v2's new tools, API tokens named for AI tools, two-step
 * verification turned off. Counted from the generator over 28 days (not a timing), each event read
 * by the real normaliser under action keys of the simulator's making, and judged by the rules.
 */
import { describe, expect, it } from "vitest";
import { apiTokenCreated } from "../../src/detect/rules/api-token-created.js";
import { precursorOf } from "../../src/detect/rules/identity-precursors.js";
import type { StoredEvent } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize } from "../../src/ingest/normalize.js";
import { SyntheticOrg } from "../../src/simulator/org.js";
import { DAY } from "../../src/time-units.js";
import { context as ruleContext } from "../detect/fixtures.js";

const START = Date.UTC(2026, 10, 2); // a Monday
const V2_ONLY = new Set([
  "executeWrite",
  "executeDestructive",
  "addLabelsToConfluenceContent",
  "createJiraProject",
]);

/** A wrapper is as dangerous as what it ran: executeDestructive running a manage tool is admin. */
const classOf = (call: { readonly toolClass: string; readonly innerTool?: string | undefined }) =>
  call.innerTool === "manageJiraProjectVersion" ? "admin" : call.toolClass;

describe("the realistic profile's v2 traffic, over 28 days", () => {
  it("has v2 wrappers and new tools, AI-named tokens and two-step verification turned off, rarely", () => {
    const org = new SyntheticOrg({
      seed: 9,
      people: 60,
      profile: "realistic",
      start: START,
      intervalMs: 8_000,
      obfuscateActions: true,
    });
    const catalog = buildCatalog(
      org.catalog.map((entry) => ({
        action: entry.id,
        displayName: entry.attributes.displayName,
        groupName: entry.attributes.groupDisplayName ?? null,
      })),
    );
    const actionOf = new Map([...catalog.actions.values()].map((info) => [info.action, info]));
    const read = (index: number): StoredEvent => {
      const result = normalize(org.eventAt(index), {
        orgId: org.orgId,
        catalog,
        backfillUntil: null,
      });
      if (!result.ok) throw new Error(result.error);
      return { ...result.event, seq: index, ingestedAt: 0 };
    };

    let calls = 0;
    const v2Tools = new Map<string, number>();
    const aiTokens: string[] = [];
    const twoStepOff: string[] = [];
    const count = org.countAtOrBefore(START + 28 * DAY - 1);
    for (let i = 0; i < count; i++) {
      const g = org.describe(i);
      if (g.mcp) {
        calls++;
        if (!V2_ONLY.has(g.mcp.tool)) continue;
        v2Tools.set(g.mcp.tool, (v2Tools.get(g.mcp.tool) ?? 0) + 1);
        // The code finds the tool, the operation a wrapper ran and the class, wherever they sit.
        const e = read(i);
        expect(
          [e.isMcp, e.tool, e.innerTool ?? undefined, e.toolClass],
          JSON.stringify(g.event),
        ).toEqual([true, g.mcp.tool, g.mcp.innerTool, classOf(g.mcp)]);
        if (g.mcp.tool.startsWith("execute")) expect(g.mcp.innerTool).toBeDefined();
        continue;
      }
      if (g.kind !== "identity") continue;
      const e = read(i);
      const kind = precursorOf(e, actionOf.get(e.action));
      if (kind === "two-step-disabled") twoStepOff.push(e.id);
      else {
        expect(kind).toBe("api-token-created");
        const hit = apiTokenCreated.evaluate(
          e,
          { action: actionOf.get(e.action) },
          {},
          ruleContext,
        );
        expect(hit?.severity, hit?.title).toBe("high");
        aiTokens.push(hit?.title ?? "");
      }
    }
    // Every v2 tool shows up, in well under one call in a hundred.
    expect([...v2Tools.keys()].sort()).toEqual([...V2_ONLY].sort());
    const v2Calls = [...v2Tools.values()].reduce((a, b) => a + b, 0);
    expect(v2Calls / calls).toBeLessThan(0.005);
    // A few AI-named tokens and two-step verification turned off, over four weeks.
    expect(aiTokens.length).toBeGreaterThanOrEqual(1);
    expect(aiTokens.length).toBeLessThanOrEqual(8);
    expect(twoStepOff.length).toBeGreaterThanOrEqual(1);
    expect(twoStepOff.length).toBeLessThanOrEqual(5);
  }, 60_000);
});
