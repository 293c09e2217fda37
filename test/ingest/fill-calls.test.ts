/**
 * MCP calls stored before the operation a wrapper ran and the guessed flag had columns (migration
 * 0045 left them NULL) are given both by the bot after its polls, from their raw JSON, a chunk at
 * a time: on a real database file, polled from the simulator.
 */
import { describe, expect, it } from "vitest";
import { CallFiller } from "../../src/ingest/fill-calls.js";
import { repositories } from "../../src/store/repositories.js";
import { capturedLogger } from "../helpers/logs.js";
import { mallorysCall as call, MINUTE, type Rig, rig } from "./setup.js";

const CALLS =
  "SELECT seq, operation, tool_guessed FROM event_rows WHERE tool IS NOT NULL ORDER BY seq";

/**
 * Polled once, with a wrapper's call and a tool guessed from a message among a day of calls, then
 * every call left as migration 0045 left the calls stored before it.
 */
async function upgraded(): Promise<{ r: Rig; stored: unknown[] }> {
  const r = await rig({ hours: 24 });
  const wrapper = { name: "executeWrite", operation: "createJiraIssueLink" };
  r.sim.injectEvents([
    call(r, "1", { context: [{ id: "executeWrite", type: "mcp-tool", attributes: wrapper }] }),
    call(
      r,
      "2",
      { context: [] },
      {
        message: {
          content: "Rovo MCP server: API token getConfluencePage called deleteConfluencePage",
          format: "simple",
        },
      },
    ),
  ]);
  await r.poller.pollOnce();
  const stored = r.db.prepare(CALLS).all();
  r.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
  return { r, stored };
}

const said = (logs: ReturnType<typeof capturedLogger>, words: string) =>
  logs.lines().filter((l) => String(l.msg).includes(words));

describe("calls stored before their operation and guessed flag had columns", () => {
  it("are given both after a poll, as they were read from the raw JSON, and it is said", async () => {
    const { r, stored } = await upgraded();
    // What the bot stored for the calls as it read them is what the calls stored before get.
    expect(stored.length).toBeGreaterThan(100);
    expect(r.count("operation IS NOT NULL OR tool_guessed IS NOT NULL")).toBe(0);
    expect(
      (stored as { operation: number | null }[]).filter((c) => c.operation !== null).length,
    ).toBeGreaterThan(0);
    expect(
      (stored as { tool_guessed: number }[]).filter((c) => c.tool_guessed === 1).length,
    ).toBeGreaterThan(0);

    r.clock.advance(MINUTE);
    await r.poller.pollOnce();

    expect(r.db.prepare(CALLS).all().slice(0, stored.length)).toEqual(stored);
    expect(
      said(r.logs, `storing the operation and guessed flag of ${stored.length} MCP calls`),
    ).toHaveLength(1);
    expect(said(r.logs, "every MCP call stored before")).toHaveLength(1);
    // Nothing is left: the next poll says nothing more.
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    expect(said(r.logs, "storing the operation and guessed flag")).toHaveLength(1);
  });

  it("goes on where the last pass stopped, within each pass's time, and says it began once", async () => {
    const { r, stored } = await upgraded();
    const logs = capturedLogger();
    let elapsed = 0;
    const filler = new CallFiller({
      orgId: "org-poller",
      stores: repositories(r.db),
      log: logs.logger,
      // Each chunk takes a second: a pass of a three-second budget stores three chunks.
      elapsed: () => elapsed++ * 1_000,
      chunk: 10,
      budgetMs: 3_000,
    });
    await filler.pass();
    expect(r.count("tool_guessed IS NOT NULL")).toBe(30);
    const stop = new AbortController();
    stop.abort();
    await filler.pass(stop.signal);
    expect(r.count("tool_guessed IS NOT NULL")).toBe(30);
    for (let pass = 0; pass < stored.length / 30 + 1; pass++) await filler.pass();
    expect(r.db.prepare(CALLS).all()).toEqual(stored);
    expect(said(logs, "storing the operation and guessed flag")).toHaveLength(1);
  });

  it("are stored as naming no operation when their raw JSON cannot be read, and said", async () => {
    const { r, stored } = await upgraded();
    const first = stored[0] as { seq: number };
    const block = r.db
      .prepare("SELECT raw_block FROM event_rows WHERE seq = ?")
      .pluck()
      .get(first.seq);
    const lost = r.db
      .prepare("SELECT seq FROM event_rows WHERE raw_block = ? AND tool IS NOT NULL ORDER BY seq")
      .pluck()
      .all(block);
    r.db.prepare("DELETE FROM raw_blocks WHERE id = ?").run(block);

    r.clock.advance(MINUTE);
    await r.poller.pollOnce();

    expect(r.count("tool IS NOT NULL AND tool_guessed IS NULL")).toBe(0);
    const warned = said(r.logs, "could not be read: stored as naming no operation");
    expect(warned.map((l) => l.seqs)).toEqual([lost]);
    expect(
      r.db.prepare(`SELECT operation, tool_guessed FROM event_rows WHERE seq = ?`).get(first.seq),
    ).toEqual({ operation: null, tool_guessed: 0 });
  });
});
