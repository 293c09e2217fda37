/**
 * What an alert says about a call beyond its tool — the operation a v2 wrapper ran, a tool guessed
 * from the message — reaches the SIEM record, the CSV and the digest, from a real database file;
 * for calls stored before those had columns, the export reads them from the raw JSON until
 * `mcp-activity reclassify` (or the bot, after its polls) stores them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ActivityFilter } from "../../src/domain/activity.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { toolCatalogue } from "../../src/ingest/tools.js";
import { rulesFileAt } from "../../src/load-rules.js";
import { csvLines } from "../../src/query/csv.js";
import { firstTimers } from "../../src/store/first-timers.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { runCli } from "../helpers/cli.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { connect, freshStore, T } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const call = (over: Partial<NormalizedEvent>): NormalizedEvent => {
  const event = normalizedEvent(over);
  return event;
};

/** A wrapper's call at T, then a delete guessed from a message naming two tools. */
function storeCalls() {
  const s = freshStore();
  const wrapped = call({
    id: "wrapped",
    time: T,
    tool: "executeWrite",
    toolClass: "write",
    innerTool: "createJiraIssueLink",
    product: null,
  });
  const guessed = call({
    id: "guessed",
    time: T + 1_000,
    tool: "deleteConfluencePage",
    toolClass: "destructive",
    toolGuessed: true,
    message: "API token getConfluencePage called deleteConfluencePage",
  });
  s.transaction(() => s.events.insertMany([wrapped, guessed], T + 2_000));
  return s;
}

const everything: ActivityFilter = {
  orgId: "org-1",
  since: T - 1_000,
  until: T + 10_000,
  ...{ people: [], tools: [], classes: [], products: [], sites: [], actions: [], ips: [] },
  ...{ countries: [], auth: [], rules: [], statuses: [], words: [] },
};

describe("the operation a wrapper ran and a tool guessed from the message", () => {
  it("are fields of the SIEM mcp_event record", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = storeCalls();
    const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), capturedLogger().logger);
    await exporter.pass(new AbortController().signal);
    const records = receiver.records();
    expect(records.map((r) => [r.id, r.tool, r.operation, r.tool_class, r.tool_guessed])).toEqual([
      ["wrapped", "executeWrite", "createJiraIssueLink", "write", false],
      ["guessed", "deleteConfluencePage", null, "destructive", true],
    ]);
  });

  it("are fields of the SIEM record of a call stored before they had columns", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = storeCalls();
    // As migration 0045 left the rows stored before it, before the bot stores them.
    s.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
    const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), capturedLogger().logger);
    await exporter.pass(new AbortController().signal);
    // As the alerts read them meanwhile: from the raw JSON.
    expect(receiver.records().map((r) => [r.id, r.operation, r.tool_guessed])).toEqual([
      ["wrapped", "createJiraIssueLink", false],
      ["guessed", null, true],
    ]);
    // `mcp-activity export` writes the same.
    const written = [...s.export.eventsSince("org-1", 0)];
    expect(written.map((e) => [e.id, e.innerTool, e.toolGuessed])).toEqual([
      ["wrapped", "createJiraIssueLink", false],
      ["guessed", null, true],
    ]);
  });

  it("a call stored before they had columns and read now as another tool is sent as the bot stores it", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = storeCalls();
    // Stored before 0045, classified then as other tools than the raw JSON reads now.
    s.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
    const ref = (v: string) =>
      s.db.prepare("SELECT ref FROM strings WHERE value = ?").pluck().get(v);
    const [write, del] = [ref("executeWrite"), ref("deleteConfluencePage")];
    s.db
      .prepare("UPDATE event_rows SET tool = CASE tool WHEN ? THEN ? ELSE ? END")
      .run(write, del, write);
    const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), capturedLogger().logger);
    await exporter.pass(new AbortController().signal);
    const sent = receiver.records().map((r) => [r.id, r.tool, r.operation, r.tool_guessed]);
    // The alerts read them alike meanwhile.
    const alerted = [1, 2].map((seq) => {
      const e = s.events.bySeq(seq);
      return [e?.id, e?.tool, e?.innerTool, e?.toolGuessed];
    });
    // What the bot stores for them after its polls.
    s.writeTransaction(() => s.unfilledCalls.fillChunk("org-1", 0, 100));
    const stored = [...s.export.eventsSince("org-1", 0)].map((e) => [
      e.id,
      e.tool,
      e.innerTool,
      e.toolGuessed,
    ]);
    expect(stored).toEqual([
      ["wrapped", "deleteConfluencePage", null, false],
      ["guessed", "executeWrite", null, false],
    ]);
    expect(sent).toEqual(stored);
    expect(alerted).toEqual(stored);
  });

  it("a call stored before they had columns is read with the rules file's tools, as the bot stores it", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = freshStore();
    // The rules file makes createJiraIssueLink destructive: it outranks the wrapper beside it.
    const tools = toolCatalogue({ createJiraIssueLink: { class: "destructive" } });
    const guessed = call({
      id: "guessed",
      time: T,
      tool: "createJiraIssueLink",
      toolClass: "destructive",
      toolGuessed: true,
      message: "Rovo MCP server: API token executeWrite called createJiraIssueLink",
    });
    s.transaction(() => s.events.insertMany([guessed], T + 1_000));
    s.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
    const clock = new VirtualClock();
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger, { tools });
    await exporter.pass(new AbortController().signal);
    // `mcp-activity export` reads them with RULES_FILE's tools.
    const dir = tempDir();
    const rulesFile = join(dir, "rules.yml");
    writeFileSync(rulesFile, "tools:\n  createJiraIssueLink: { class: destructive }\n");
    s.classifiedWith.record(rulesFileAt(rulesFile), T);
    const cli = await runCli(["export", "--since", "2000-01-01"], {
      DATABASE_PATH: s.path,
      RULES_FILE: rulesFile,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const written = JSON.parse(cli.stdout.split("\n")[0] ?? "");
    s.writeTransaction(() => s.unfilledCalls.fillChunk("org-1", 0, 100, tools));
    const stored = s.db.prepare("SELECT tool, operation, tool_guessed FROM events").get();
    expect(stored).toEqual({ tool: "createJiraIssueLink", operation: null, tool_guessed: 1 });
    expect(receiver.records().map((r) => [r.tool, r.operation, r.tool_guessed])).toEqual([
      ["createJiraIssueLink", null, true],
    ]);
    expect([written.tool, written.operation, written.tool_guessed]).toEqual([
      "createJiraIssueLink",
      null,
      true,
    ]);
  });

  it("`mcp-activity export` without the bot's rules file refuses while a call stored before they had columns is left", async () => {
    const s = freshStore();
    const rulesFile = join(tempDir(), "rules.yml");
    writeFileSync(rulesFile, "tools:\n  createJiraIssueLink: { class: destructive }\n");
    // The bot started with it; the export is run from a shell without it.
    s.classifiedWith.record(rulesFileAt(rulesFile), T);
    const tools = toolCatalogue({ createJiraIssueLink: { class: "destructive" } });
    const guessed = call({
      id: "guessed",
      time: T,
      tool: "createJiraIssueLink",
      toolClass: "destructive",
      toolGuessed: true,
      message: "Rovo MCP server: API token executeWrite called createJiraIssueLink",
    });
    s.transaction(() => s.events.insertMany([guessed], T + 1_000));
    s.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
    const exported = () => runCli(["export", "--since", "2000-01-01"], { DATABASE_PATH: s.path });
    const refused = await exported();
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(
      `this export with no RULES_FILE (the built-in tools alone): some would be written otherwise than the bot stores them. Run it with RULES_FILE=${rulesFile}`,
    );
    // Once the bot has stored the call, the rules file no longer matters: written as stored.
    s.writeTransaction(() => s.unfilledCalls.fillChunk("org-1", 0, 100, tools));
    const cli = await exported();
    expect(cli.code, cli.stderr).toBe(0);
    const written = JSON.parse(cli.stdout.split("\n")[0] ?? "");
    expect([written.tool, written.operation, written.tool_guessed]).toEqual([
      "createJiraIssueLink",
      null,
      true,
    ]);
  });

  it("a call stored before they had columns whose raw JSON is damaged is sent naming neither", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = storeCalls();
    s.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
    s.db.prepare("UPDATE raw_blocks SET data = x'00'").run();
    const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), capturedLogger().logger);
    expect(await exporter.pass(new AbortController().signal)).toBeUndefined();
    // As the bot stores such a call: no operation, not guessed.
    expect(receiver.records().map((r) => [r.id, r.operation, r.tool_guessed])).toEqual([
      ["wrapped", null, false],
      ["guessed", null, false],
    ]);
  });

  it("are columns of the CSV", () => {
    const s = storeCalls();
    const [header, wrapped, guessed] = [...csvLines(s.activity.csvRows(everything))].map((l) =>
      l.trimEnd().split(","),
    );
    const at = (row: string[] | undefined, column: string) => row?.[header?.indexOf(column) ?? -1];
    expect([at(wrapped, "tool"), at(wrapped, "operation"), at(wrapped, "tool_guessed")]).toEqual([
      "executeWrite",
      "createJiraIssueLink",
      "false",
    ]);
    expect([at(guessed, "class"), at(guessed, "tool_guessed")]).toEqual(["destructive", "true"]);
  });

  it("the digest names a newcomer's first tool as the alert does", () => {
    const s = storeCalls();
    const { firstTimers: people } = firstTimers(s.db, "org-1", T - 1_000, T + 10_000, undefined);
    expect(people.map((p) => p.tool)).toEqual(["executeWrite → createJiraIssueLink"]);
  });

  it("are stored by `mcp-activity reclassify` for calls stored before they had columns", async () => {
    const s = storeCalls();
    // As migration 0045 left the rows stored before it.
    s.db.prepare("UPDATE event_rows SET operation = NULL, tool_guessed = NULL").run();
    // Read from the raw JSON meanwhile: the alert of such a call still names the operation.
    expect(s.events.bySeq(1)?.innerTool).toBe("createJiraIssueLink");
    s.db.close();
    const result = await runCli(["reclassify"], { DATABASE_PATH: s.path });
    expect(result.code, result.stderr).toBe(0);
    const again = connect(s.path);
    expect(
      again.db.prepare("SELECT id, operation, tool_guessed FROM events ORDER BY seq").all(),
    ).toEqual([
      { id: "wrapped", operation: "createJiraIssueLink", tool_guessed: 0 },
      { id: "guessed", operation: null, tool_guessed: 1 },
    ]);
  });
});
