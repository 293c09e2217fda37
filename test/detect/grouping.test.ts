/** Grouping findings into growing alerts: which title a growing alert shows. */
import { describe, expect, it } from "vitest";
import { type AlertSink, groupFinding } from "../../src/detect/grouping.js";
import type { Judgement } from "../../src/detect/judge.js";
import type { Growth } from "../../src/domain/alert.js";
import { anAlert, mcpEvent, T0 } from "./fixtures.js";

function growing(detail: Record<string, string | number | boolean | null>) {
  const grown: Growth[] = [];
  const open = anAlert({ id: 1, ruleId: "mcp-burst", firstSeen: T0, detail });
  const sink = {
    findGroup: () => open,
    insert: () => 2,
    grow: (_alert: unknown, growth: Growth) => grown.push(growth),
  } as unknown as AlertSink;
  const finding = (calls: number): Judgement => ({
    ruleId: "mcp-burst",
    severity: "high",
    title: `${calls} MCP calls by Alice within 10 minutes`,
    detail: { calls },
    figure: calls,
    suppressedBy: null,
    notify: true,
  });
  const grow = (calls: number) => {
    groupFinding(mcpEvent({ time: T0 + 60_000 }), finding(calls), {
      sink,
      mode: { kind: "alert" },
      windowMs: 600_000,
      now: T0,
    });
    return grown.at(-1)?.retitle?.title;
  };
  return grow;
}

describe("a growing alert's title", () => {
  it("becomes a larger finding's, never a smaller one's", () => {
    const grow = growing({ calls: 70, figure: 70 });
    expect(grow(60)).toBeUndefined();
    expect(grow(70)).toBeUndefined();
    expect(grow(90)).toBe("90 MCP calls by Alice within 10 minutes");
  });

  it("of an alert raised before figures were kept, is measured by its own count", () => {
    expect(growing({ calls: 120, windowMinutes: 10 })(60)).toBeUndefined();
    expect(growing({ distinctReads: 150 })(120)).toBeUndefined();
    expect(growing({ calls: 51 })(60)).toBe("60 MCP calls by Alice within 10 minutes");
  });
});
