import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/ingest/classify.js";
import { classifyAgainPass } from "../../src/ingest/classify-again-pass.js";
import { classifyChunk, recordKeysAgain } from "../../src/ingest/new-mcp-keys.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, type Rig, rig } from "./setup.js";

const KEY = "rovo_agent_tool_invoked";
let n = 0;
function call(r: Rig, minutesAgo = 0) {
  return {
    id: `eeeeeeee-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    type: "events",
    attributes: {
      time: new Date(r.clock.now() - minutesAgo * MINUTE - 10_000).toISOString(),
      action: KEY,
      actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
      context: [{ id: "deleteWidget", type: "tool", attributes: { name: "deleteWidget" } }],
      container: [],
    },
  };
}

describe("a key listed, retired while its work is pending, listed again", () => {
  it("classifies again every stored event under it once it is listed again", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.sim.injectEvents(Array.from({ length: 7 }, (_, i) => call(r, i)));
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    expect(r.count(`action = '${KEY}' AND is_mcp = 0`)).toBe(7);
    const stores = repositories(r.db);
    const orgId = r.sim.orgId;
    // Listed: the work is recorded.
    stores.writeTransaction(() => recordKeysAgain(stores, orgId, [KEY]));
    const [work] = stores.classifyAgain.pending(orgId);
    if (!work) throw new Error("no work recorded");
    // Retired before the pass went through: a chunk runs with a catalogue that lacks KEY.
    const unlisted = buildCatalog([], []);
    stores.writeTransaction(() =>
      classifyChunk(stores, work, unlisted, { seqs: 1_000_000, events: 3 }),
    );
    // Listed again: the work is recorded again.
    stores.writeTransaction(() => recordKeysAgain(stores, orgId, [KEY]));
    const listed = buildCatalog(
      [{ action: KEY, displayName: "Tool called", groupName: "Rovo MCP User Actions" }],
      [],
    );
    await classifyAgainPass({ orgId, stores, log: r.logs.logger }, listed);
    // All seven events are under a listed MCP action now.
    expect(r.count(`action = '${KEY}' AND is_mcp = 1`)).toBe(7);
  }, 60_000);
});
