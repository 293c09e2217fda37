import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { DEFAULT_RULES_FILE } from "../../src/detect/rules-file.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, type Rig, rig } from "./setup.js";

/** Atlassian's key for the calls is unpublished: nothing says it contains "mcp". */
const KEY = "rovo_agent_tool_invoked";

let n = 0;
/** A call under KEY naming its tool in an item of `type`, with no message. */
function call(r: Rig, tool: string, type = "tool") {
  return {
    id: `dddddddd-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    type: "events",
    attributes: {
      time: new Date(r.clock.now() - 10_000).toISOString(),
      action: KEY,
      actor: {
        id: "acct-mallory",
        name: "Mallory",
        email: "mallory@acme.test",
        auth: { authType: "auth-token-for-3LO", tokenId: "t1" },
        app: { id: "app-claude", type: "oauth-app", attributes: { name: "Claude" } },
      },
      context: [{ id: tool, type, attributes: { name: tool } }],
      container: [],
    },
  };
}

async function feed(r: Rig, event: unknown) {
  r.sim.injectEvents([event]);
  r.clock.advance(MINUTE);
  await r.poller.pollOnce();
}

const stored = (r: Rig, id: string) =>
  r.db.prepare("SELECT is_mcp, mcp_basis FROM events WHERE id = ?").get(id);

function list(r: Rig) {
  (r.sim.org.catalog as unknown[]).push({
    id: KEY,
    type: "event-actions",
    attributes: { displayName: "Tool called", groupDisplayName: "Rovo MCP User Actions" },
  });
}

const catalogueFetches = (r: Rig) =>
  r.sim.requests.filter((q) => q.path.endsWith("/event-actions")).length;

describe("an MCP action key Atlassian adds", () => {
  it("is fetched for when it first shows, minutes after the last fetch", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.clock.advance(3 * MINUTE);
    list(r);
    const first = call(r, "deleteWidget");
    await feed(r, first);
    expect(stored(r, first.id)).toEqual({ is_mcp: 1, mcp_basis: "catalog" });
    expect(r.poller.health().mcpActionKeys).toContain(KEY);
  });

  it("unlisted, its call whose item is an MCP tool is kept as a guessed MCP call", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    const first = call(r, "frobnicate", "mcp-tool");
    await feed(r, first);
    expect(stored(r, first.id)).toEqual({ is_mcp: 1, mcp_basis: "guessed" });
  });

  it("listed after a call was kept as a guessed one: that call is relabelled listed, and is neither judged nor counted again", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.clock.advance(11 * MINUTE);
    const guessed = call(r, "frobnicate", "mcp-tool");
    await feed(r, guessed);
    expect(stored(r, guessed.id)).toEqual({ is_mcp: 1, mcp_basis: "guessed" });
    const hours = () => r.db.prepare("SELECT hour, calls FROM person_hours ORDER BY 1").all();
    const before = hours();
    list(r);
    r.clock.advance(61 * MINUTE);
    const second = call(r, "frobnicate", "mcp-tool");
    await feed(r, second);
    expect(stored(r, second.id)).toEqual({ is_mcp: 1, mcp_basis: "catalog" });
    expect(stored(r, guessed.id)).toEqual({ is_mcp: 1, mcp_basis: "catalog" });
    expect(r.db.prepare("SELECT count(*) AS n FROM judge_again").get()).toEqual({ n: 0 });
    expect(r.logs.text()).toMatch(
      `the stored events under ${KEY} (newly listed as MCP) are classified again: 0 became MCP calls, 0 of them (stored live) queued to be judged by the rules`,
    );
    // Its hour counts it once, the second call once more.
    const hour = (before as Array<{ hour: number; calls: number }>).at(-1);
    expect(hours()).toContainEqual({ hour: hour?.hour, calls: 1 });
  });

  it("listed after its first calls: looked for again within the hour, its stored calls reclassified and judged once, across a crash", async () => {
    let engine: DetectionEngine | undefined;
    const r = await rig({ hours: 1 });
    const judge = (crash = false) =>
      new DetectionEngine({
        stores: repositories(r.db),
        clock: r.clock,
        logger: r.logs.logger,
        orgId: r.sim.orgId,
        config: DEFAULT_RULES_FILE,
        beforeCommit: () => {
          if (crash) throw new Error("crash before the commit");
        },
      });
    engine = judge();
    await r.poller.pollOnce();
    engine.run();
    r.clock.advance(11 * MINUTE);
    const first = call(r, "deleteWidget");
    await feed(r, first); // the catalogue, fetched for KEY, lacks it
    engine.run();
    expect(stored(r, first.id)).toEqual({ is_mcp: 0, mcp_basis: null });
    list(r); // Atlassian lists it a minute later
    r.clock.advance(61 * MINUTE);
    const fetches = catalogueFetches(r);
    const second = call(r, "deleteWidget");
    await feed(r, second);
    expect(catalogueFetches(r)).toBe(fetches + 1);
    expect(stored(r, second.id)).toEqual({ is_mcp: 1, mcp_basis: "catalog" });
    expect(stored(r, first.id)).toEqual({ is_mcp: 1, mcp_basis: "catalog" });
    expect(r.logs.text()).toMatch(`now lists ${KEY} as MCP: the `);
    expect(r.logs.text()).toMatch(
      `the stored events under ${KEY} (newly listed as MCP) are classified again: 1 became MCP calls, 1 of them (stored live) queued to be judged by the rules`,
    );

    expect(judge(true).runSafely()).toBeUndefined(); // the bot stops before the rules commit
    engine = judge(); // and starts again
    engine.run();
    engine.run();
    const destructive = new AlertStore(r.db)
      .list(r.sim.orgId)
      .filter((alert) => alert.ruleId === "mcp-destructive");
    expect(destructive.reduce((sum, alert) => sum + alert.eventCount, 0)).toBe(2);
    expect(r.db.prepare("SELECT count(*) AS n FROM judge_again").get()).toEqual({ n: 0 });
  });
});

describe("an unlisted action whose items name a tool", () => {
  it("is no MCP call when no item says it is an MCP tool, even if the tool catalogue knows the name", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    const agentStep = {
      id: "aaaaaaaa-0000-4000-8000-000000000001",
      type: "events",
      attributes: {
        time: new Date(r.clock.now() - 10_000).toISOString(),
        action: "rovo_agent_step_completed",
        actor: { id: "acct-alice", name: "Alice", email: "alice@acme.test" },
        // A Rovo agent's step (no MCP): its tool is one the tool catalogue knows by name.
        context: [
          { id: "step-1", type: "agent", attributes: { name: "Helpdesk", tool: "search" } },
        ],
        container: [],
      },
      message: { content: "Rovo agent step completed", format: "simple" },
    };
    await feed(r, agentStep);
    expect(stored(r, agentStep.id)).toEqual({ is_mcp: 0, mcp_basis: null });
    const named = call(r, "search"); // an item whose type says tool, not MCP
    await feed(r, named);
    expect(stored(r, named.id)).toEqual({ is_mcp: 0, mcp_basis: null });
  });
});
