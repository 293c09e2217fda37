/**
 * A person's first MCP call dated years ahead, or before the audit log's 180 days (a wrong clock
 * upstream), does not set where their history starts: mcp-new-scope and mcp-volume-spike count
 * their 14 days from when Atlassian processed it.
 */
import { describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../src/time-units.js";
import { event, person, setup } from "./engine-rig.js";
import { T0 } from "./fixtures.js";
import { call, liveRig } from "./live-calls.js";

const bob = person("acc-bob", "bob@example.com");

/** Bob's 20 days of calls in project OPS (first, one dated `firstAt`), then his first into HR. */
function newScopesAfter20Days(firstAt: number | undefined) {
  const s = setup("", T0);
  const days = Array.from({ length: 20 }, (_, d) =>
    event({
      ...bob,
      time: T0 + d * DAY,
      processedAt: T0 + d * DAY + 5_000,
      resource: `OPS-${d + 2}`,
    }),
  );
  const first =
    firstAt === undefined
      ? []
      : [event({ ...bob, time: firstAt, processedAt: T0, resource: "OPS-1" })];
  s.store([...first, ...days]);
  s.engine().run();
  const t = T0 + 21 * DAY;
  s.store([event({ ...bob, time: t, processedAt: t + 5_000, resource: "HR-7" })], t);
  s.engine().run();
  return s
    .alerts()
    .filter((a) => a.userId === "acc-bob" && a.ruleId === "mcp-new-scope")
    .map((a) => a.title);
}

describe("a first call dated where Atlassian could not have logged it", () => {
  it("dated five years ahead, does not keep a person's first call into a new project quiet", () => {
    const hr = [expect.stringContaining("first MCP call into project HR")];
    expect(newScopesAfter20Days(undefined)).toEqual(hr);
    expect(newScopesAfter20Days(T0 + 5 * 365 * DAY)).toEqual(hr);
  });

  it("dated 2003, does not give a newcomer 14 days of history", async () => {
    const L = await liveRig();
    L.inject([call({ time: Date.UTC(2003, 0, 1), resource: "OPS-1" })]);
    await L.poll();
    const t = L.r.clock.now();
    // Mallory's first hour of real use: 70 calls over 55 minutes in 3 projects.
    L.inject(
      Array.from({ length: 70 }, (_, i) =>
        call({
          time: t - 56 * MINUTE + i * 47_000,
          resource: `${["OPS", "HR", "FIN"][i % 3]}-${i}`,
        }),
      ),
      t,
    );
    await L.poll();
    const rules = L.alerts("acct-mallory").map((a) => a.ruleId);
    expect(rules).toContain("mcp-first-use");
    expect(rules.filter((r) => r === "mcp-new-scope" || r === "mcp-volume-spike")).toEqual([]);
  });
});
