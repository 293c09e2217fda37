import { describe, expect, it, onTestFinished } from "vitest";
import { buildCatalog } from "../../src/ingest/classify.js";
import { classifyAgainPass } from "../../src/ingest/classify-again-pass.js";
import { classifyChunk, recordKeysAgain } from "../../src/ingest/new-mcp-keys.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { front } from "../helpers/front.js";
import { DAY, MINUTE, type Rig, rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

/** Atlassian's key for the calls is unpublished: nothing says it contains "mcp". */
const KEY = "rovo_agent_tool_invoked";

let n = 0;
/** A call under KEY naming its tool in an item that does not say MCP: no MCP call unlisted. */
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

function list(r: Rig) {
  (r.sim.org.catalog as unknown[]).push({
    id: KEY,
    type: "event-actions",
    attributes: { displayName: "Tool called", groupDisplayName: "Rovo MCP User Actions" },
  });
}

const rows = (r: Rig, sql: string) => r.db.prepare(sql).all();
/** How many of the events stored up to `seq` are MCP calls, by action. */
const mcpCounts = (r: Rig, seq: number) =>
  rows(
    r,
    `SELECT action, is_mcp, count(*) AS n FROM events WHERE seq <= ${seq}
     GROUP BY 1, 2 ORDER BY 1, 2`,
  ) as Array<{ action: string }>;
const maxSeq = (r: Rig) =>
  (r.db.prepare("SELECT max(seq) AS n FROM events").get() as { n: number }).n;
/** The rules have judged every event stored: only such calls are queued to be judged again. */
const judged = (r: Rig) =>
  new AlertStore(r.db).setLastEvaluated(r.sim.orgId, maxSeq(r), r.clock.now());

/** A rig that stored seven calls under KEY, live, as no MCP calls (KEY not listed yet). */
async function sevenUnlisted(): Promise<Rig> {
  const r = await rig({ hours: 1 });
  await r.poller.pollOnce();
  r.sim.injectEvents(Array.from({ length: 7 }, (_, i) => call(r, i)));
  r.clock.advance(MINUTE);
  await r.poller.pollOnce();
  expect(r.count(`action = '${KEY}' AND is_mcp = 0`)).toBe(7);
  return r;
}

describe("the first readable catalogue, after weeks of refusals", () => {
  it("makes MCP calls only of events not MCP calls yet, relabels the guessed ones, after its transaction, and says true counts", async () => {
    const r = await rig({ hours: 24 });
    list(r);
    let refuse = true;
    const server = await front(r.sim.url, (path) =>
      refuse && path.split("?")[0]?.endsWith("/event-actions")
        ? { status: 403, body: JSON.stringify({ errors: [{ status: "403", title: "Forbidden" }] }) }
        : undefined,
    );
    onTestFinished(server.close);
    const poller = pollerVia(r, server.url);
    await poller.pollOnce();
    r.sim.injectEvents([call(r), call(r)]);
    r.clock.advance(MINUTE);
    await poller.pollOnce();
    const last = maxSeq(r);
    const before = mcpCounts(r, last).filter((row) => row.action !== KEY);
    // The simulator's calls are guessed MCP calls (their key says mcp); KEY's are not calls yet.
    const simulated = r.sim.org.actionKeyOf(r.sim.org.mcpActionKey);
    expect(r.count(`action = '${simulated}' AND mcp_basis = 'guessed'`)).toBeGreaterThan(0);
    expect(r.count(`action = '${KEY}' AND is_mcp = 0`)).toBe(2);
    const stored = r.count();
    judged(r);

    refuse = false; // the scope is granted
    r.clock.advance(DAY + MINUTE);
    await poller.pollOnce();
    // The guessed calls stay MCP calls, relabelled listed (their keys are); KEY's two became calls.
    expect(mcpCounts(r, last).filter((row) => row.action !== KEY)).toEqual(before);
    expect(r.count(`action = '${simulated}' AND mcp_basis = 'guessed'`)).toBe(0);
    expect(r.count(`action = '${KEY}' AND is_mcp = 1 AND mcp_basis = 'catalog'`)).toBe(2);
    expect(rows(r, "SELECT * FROM classify_again")).toEqual([]);
    const said = r.logs
      .lines()
      .filter(
        (l) => String(l.msg).includes("newly listed as MCP") || String(l.msg).includes("now lists"),
      );
    const forKey = said.filter((l) => String(l.msg).includes(KEY));
    expect(forKey.map((l) => [l.level, l.msg])).toEqual([
      [40, expect.stringContaining(`now lists`)],
      [
        40,
        `the stored events under ${KEY} (newly listed as MCP) are classified again: 2 became MCP calls, 2 of them (stored live) queued to be judged by the rules`,
      ],
    ]);
    expect(forKey[0]?.rows).toBe(stored);
    // Every MCP key newly listed is looked through; those already MCP calls change nothing.
    for (const line of said.filter((l) => l.nowMcp !== undefined && !String(l.msg).includes(KEY)))
      expect([line.nowMcp, line.queued]).toEqual([0, 0]);
    expect(rows(r, "SELECT count(*) AS n FROM judge_again")).toEqual([{ n: 2 }]);
  }, 60_000);
});

describe("classifying a newly listed key's events again", () => {
  it("goes a chunk at a time, keeps its position, and goes on after a stop", async () => {
    const r = await sevenUnlisted();
    judged(r);
    const stores = repositories(r.db);
    const orgId = r.sim.orgId;
    stores.writeTransaction(() => recordKeysAgain(stores, orgId, [KEY]));
    list(r);
    const catalog = buildCatalog(
      [{ action: KEY, displayName: "Tool called", groupName: "Rovo MCP User Actions" }],
      [],
    );
    const stop = new AbortController();
    let chunks = 0;
    const pass = (signal?: AbortSignal) =>
      classifyAgainPass(
        {
          orgId,
          stores,
          log: r.logs.logger,
          now: () => r.clock.now(),
          chunk: { seqs: 1_000_000, events: 3 },
          onQueued: () => {
            if (++chunks === 1) stop.abort();
          },
        },
        catalog,
        signal,
      );
    await pass(stop.signal); // stopped after its first chunk: three of seven done
    expect(r.count(`action = '${KEY}' AND is_mcp = 1`)).toBe(3);
    const kept = rows(r, "SELECT after_seq, now_mcp, queued FROM classify_again") as Array<{
      after_seq: number;
    }>;
    expect(kept).toEqual([{ after_seq: expect.any(Number), now_mcp: 3, queued: 3 }]);
    await pass(); // as after a restart
    expect(r.count(`action = '${KEY}' AND is_mcp = 1`)).toBe(7);
    expect(rows(r, "SELECT * FROM classify_again")).toEqual([]);
    expect(rows(r, "SELECT count(*) AS n FROM judge_again")).toEqual([{ n: 7 }]);
    expect(r.logs.text()).toContain(
      `the stored events under ${KEY} (newly listed as MCP) are classified again: 7 became MCP calls, 7 of them (stored live) queued to be judged by the rules`,
    );
  }, 60_000);
});

describe("a key listed, retired while its work is pending, listed again", () => {
  it("classifies again every stored event under it once it is listed again", async () => {
    const r = await sevenUnlisted();
    const stores = repositories(r.db);
    const orgId = r.sim.orgId;
    // Listed: the work is recorded.
    stores.writeTransaction(() => recordKeysAgain(stores, orgId, [KEY]));
    const [work] = stores.classifyAgain.pending(orgId);
    if (!work) throw new Error("no work recorded");
    // Retired before the pass went through: a chunk runs with a catalogue that lacks KEY.
    const unlisted = buildCatalog([], []);
    stores.writeTransaction(() =>
      classifyChunk(stores, work, unlisted, r.clock.now(), { seqs: 1_000_000, events: 3 }),
    );
    // Listed again: the work is recorded again.
    stores.writeTransaction(() => recordKeysAgain(stores, orgId, [KEY]));
    const listed = buildCatalog(
      [{ action: KEY, displayName: "Tool called", groupName: "Rovo MCP User Actions" }],
      [],
    );
    await classifyAgainPass(
      { orgId, stores, log: r.logs.logger, now: () => r.clock.now() },
      listed,
    );
    // All seven events are under a listed MCP action now.
    expect(r.count(`action = '${KEY}' AND is_mcp = 1`)).toBe(7);
  }, 60_000);
});
