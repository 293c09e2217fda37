import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

const POSTURE = "posture:\n  products: { jira: [read, search], confluence: [read, search] }\n";

describe("a declared posture that allows writing in no product", () => {
  it("sees a write through the v2 wrapper whose product the event does not name", async () => {
    const p = await pipeline(POSTURE);
    const write = p.call({ tool: "executeWrite" });
    // A read whose product is unknown: some declared product allows reading.
    const read = p.call({ tool: "atlassianUserInfo" });
    await p.feed([write, read]);
    expect([p.event(write.id).product, p.event(write.id).tool_class]).toEqual([null, "write"]);
    expect(p.event(read.id).product).toBe(null);
    // The simulator's own traffic of that minute aside.
    const ours = new Set([p.event(write.id).seq, p.event(read.id).seq]);
    const drift = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-posture-drift" && ours.has(a.lastEventSeq));
    expect(drift.map((a) => [a.detail.contradiction, a.notify, a.eventCount])).toEqual([
      ["products.unknown.write", true, 1],
    ]);
    expect(drift[0]?.title).toMatch(
      /^observed a write tool in an unknown product \(executeWrite\) although your posture says no product allows write \(jira: read, search; confluence: read, search\): check /,
    );
  }, 60_000);
});
