/**
 * `mcp-activity query` prints audit data as Slack shows it (docs/query-language.md): a stored
 * value is never split over lines, so one event is one row of the table, and one open alert, one
 * person a name may mean or one nearest value suggested one line. A real SQLite file, the real command.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "../store/setup.js";

/** A database of these events, an hour old unless told, and these open alerts. */
function storeWith(events: Array<Partial<NormalizedEvent>>, alertTitles: string[] = []) {
  const path = join(tempDir(), "q.db");
  const db = openStore(path);
  const base = normalizedEvent();
  new EventStore(db).insertMany(
    events.map((e, i) => ({ ...base, id: `e-${i}`, time: Date.now() - HOUR, ...e })),
    Date.now(),
  );
  const alerts = new AlertStore(db);
  for (const title of alertTitles) alerts.insert(newAlert({ userId: base.userId, title }));
  db.close();
  return path;
}

const query = (path: string, text: string) =>
  runCli(["query", text], { DATABASE_PATH: path, TZ: "UTC" });

describe("mcp-activity query's table", () => {
  it("keeps each event on one line, whatever line breaks its values hold", async () => {
    const breaks = ["\n", "\r\n", "\u2028", "\u2029"];
    const path = storeWith(
      breaks.map((b) => ({ resource: `Runbook${b}2026-11-04 09:59:00  ceo@x` })),
      [`deleteJiraIssue by Alice${breaks.join("")}#99 high · nothing to see`],
    );
    const cli = await query(path, `user:${normalizedEvent().userEmail} since:1d`);
    expect(cli.code, cli.stderr).toBe(0);
    const rows = cli.stdout.split("\n").filter((l) => /^\d{4}-\d\d-\d\d \d\d:/.test(l));
    // Four stored events: four rows, each with the whole resource on it.
    expect(rows).toHaveLength(breaks.length);
    for (const row of rows) expect(row).toContain("Runbook 2026-11-04 09:59:00  ceo@x");
    // One open alert: one line.
    expect(cli.stdout).toMatch(/\n {2}#\d+ high · deleteJiraIssue by Alice #99 high · nothing/);
    expect(cli.stdout).not.toMatch(/^#99/m);
  });
});

describe("mcp-activity query's table cells", () => {
  it("are cut at 40 characters, never inside an emoji (a lone surrogate prints as �)", async () => {
    const path = storeWith([
      { userId: "acc-1", userEmail: null, userName: `Dev ${"😀".repeat(30)}` },
      { userId: "acc-2", userEmail: null, userName: `Ops ${"😀".repeat(50)}` },
    ]);
    const cli = await query(path, "since:1d");
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).not.toContain("\ufffd");
    // 34 characters: whole; 54: the first 39 and an ellipsis.
    expect(cli.stdout).toContain(`  Dev ${"😀".repeat(30)}  `);
    expect(cli.stdout).toContain(`  Ops ${"😀".repeat(35)}…  `);
  });
});

describe("mcp-activity query's table cells of emoji made of several code points", () => {
  it("are cut before a flag or a ZWJ sequence that does not fit, never inside it", async () => {
    const path = storeWith([
      { resource: `${"a".repeat(38)}🇫🇷 page` },
      { resource: `${"b".repeat(38)}👩‍💻 page` },
    ]);
    const cli = await query(path, "since:1d");
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`  ${"a".repeat(38)}…`);
    expect(cli.stdout).toContain(`  ${"b".repeat(38)}…`);
  });
});

describe("mcp-activity query's list of the people a name may mean", () => {
  it("keeps each person on one line, whatever line breaks their name holds", async () => {
    const path = storeWith([
      { userId: "acc-1", userName: "Ann\nacc-9 (account acc-9)", userEmail: "ann@one.example" },
      { userId: "acc-2", userName: "Ann\u2028Two", userEmail: "ann@two.example" },
    ]);
    const cli = await query(path, "user:ann since:1d");
    expect(cli.code).toBe(2);
    const listed = cli.stderr.split("\n").filter((l) => l.startsWith("  "));
    expect(listed).toHaveLength(2);
    expect(cli.stderr).toContain("  Ann acc-9 (account acc-9) <ann@one.example> (account acc-1)\n");
  });
});

describe("mcp-activity query's nearest stored value", () => {
  it("is suggested on one line, whatever line breaks it holds", async () => {
    const path = storeWith([{ tool: "createJira\nIssue", innerTool: null }]);
    const cli = await query(path, "tool:createJiraIssu since:1d");
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(
      'no stored MCP call has tool:createJiraIssu; did you mean tool:"createJira Issue"?\n',
    );
  });
});
