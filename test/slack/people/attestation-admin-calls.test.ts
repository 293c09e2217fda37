/**
 * The weekly check counts the AI tool's admin calls (createJiraProject…) with the destructive ones,
 * as the mcp-destructive rule and the digest's chart do. The outbox, the real Bolt app, the fake
 * Slack and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { DAY } from "../../../src/time-units.js";
import { ALICE, attestationRig, MONDAY } from "./attestation-rig.js";

describe("the weekly check and admin MCP calls", () => {
  it("counts them with the destructive calls", async () => {
    const r = await attestationRig();
    // Besides the rig's 26 calls of Alice (3 writes, 1 delete): 2 projects her AI tool created.
    r.calls(2, { tool: "createJiraProject", toolClass: "admin", time: MONDAY - 2 * DAY });
    expect(await r.weekly().run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    const [message] = r.dm(ALICE);
    expect(message?.text).toContain(
      "AI tools acted as you: 28 calls, 3 writes, 3 destructive or admin calls in OPS, WEB",
    );
    expect(r.stores.attestations.get(1)).toMatchObject({ calls: 28, writes: 3, deletes: 3 });
  });
});
