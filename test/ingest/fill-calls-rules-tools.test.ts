/**
 * A bot whose rules file classifies a tool otherwise (`tools:`), upgraded past
 * migration 0045. The call stored before it is given the operation and guessed flag the bot's
 * own classification gives the same raw JSON: on a real database file, polled from the simulator.
 */
import { describe, expect, it } from "vitest";
import { CallFiller } from "../../src/ingest/fill-calls.js";
import { toolCatalogue } from "../../src/ingest/tools.js";
import { repositories } from "../../src/store/repositories.js";
import { capturedLogger } from "../helpers/logs.js";
import { MINUTE, mallorysCall, type Rig, rig } from "./setup.js";

const ROW = "SELECT tool, operation, tool_guessed FROM events WHERE id = ?";
const ID = "eeeeeeee-0000-4000-8000-000000000009";

/**
 * The call, stored by a bot whose rules file makes createJiraIssueLink destructive, then left as
 * migration 0045 left the calls stored before it.
 */
async function storedWithRulesTools(): Promise<{ r: Rig; asStored: unknown }> {
  // The rules file makes createJiraIssueLink destructive.
  const tools = toolCatalogue({ createJiraIssueLink: { class: "destructive" } });
  const r = await rig({ hours: 1, poller: { tools } });
  r.sim.injectEvents([
    mallorysCall(
      r,
      "9",
      { context: [] },
      {
        message: {
          content: "Rovo MCP server: API token executeWrite called createJiraIssueLink",
          format: "simple",
        },
      },
    ),
  ]);
  await r.poller.pollOnce();
  const asStored = r.db.prepare(ROW).get(ID);
  r.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
  return { r, asStored };
}

describe("calls stored before their operation had a column, with the rules file's tools", () => {
  it("are filled as the bot classifies them, not as the shipped catalogue alone reads them", async () => {
    const { r, asStored } = await storedWithRulesTools();
    expect(asStored).toEqual({ tool: "createJiraIssueLink", operation: null, tool_guessed: 1 });
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    expect(r.count("tool IS NOT NULL AND tool_guessed IS NULL")).toBe(0);
    expect(r.db.prepare(ROW).get(ID)).toEqual(asStored);
  });

  it("name no operation for a call read now as another tool than stored (the tools changed)", async () => {
    const { r } = await storedWithRulesTools();
    // Filled with the shipped tools alone, which read the call as executeWrite.
    const filler = new CallFiller({
      orgId: "org-poller",
      stores: repositories(r.db),
      log: capturedLogger().logger,
      elapsed: () => 0,
    });
    await filler.pass();
    expect(r.db.prepare(ROW).get(ID)).toEqual({
      tool: "createJiraIssueLink",
      operation: null,
      tool_guessed: 0,
    });
  });
});
