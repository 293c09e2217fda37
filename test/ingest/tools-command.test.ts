import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent, T0 } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";

describe("tools", () => {
  it("lists the tools seen with their class and whether the catalogue knows them", async () => {
    const { env, path } = await simulatedOrg(1000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const result = await runCli(["tools"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^org-cli: \d+ tool\(s\) seen, \d+ not in the catalogue$/m);
    expect(result.stdout).toMatch(/^tool\s+class\s+product\s+risk\s+known\s+calls\s+last seen$/m);
    expect(result.stdout).toMatch(/^getJiraIssue\s+read\s+jira\s+low\s+catalogue\s+\d+\s+20\d\d-/m);
  });

  it("shows the rules file's tools, and reclassify applies them to stored events", async () => {
    const { env, path } = await simulatedOrg(1000);
    await runCli(["poll", "--once"], env);
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "tools:\n  getJiraIssue: { class: write, risk: high }\n");
    const listed = await runCli(["tools"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(listed.stdout).toMatch(/^getJiraIssue\s+write\s+jira\s+high\s+rules file\s+\d+/m);

    const count = (sql: string) => {
      const db = new Database(path, { readonly: true });
      const n = (db.prepare(sql).get() as { n: number }).n;
      db.close();
      return n;
    };
    const reads = count("SELECT count(*) AS n FROM events WHERE tool = 'getJiraIssue'");
    expect(reads).toBeGreaterThan(0);
    const result = await runCli(["reclassify"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(result.code, result.stderr).toBe(0);
    expect(
      count(
        "SELECT count(*) AS n FROM events WHERE tool = 'getJiraIssue' AND tool_class = 'write'",
      ),
    ).toBe(reads);
  });

  it("refuses a tool with a class it does not know, naming the path", async () => {
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "tools:\n  myTool: { class: dangerous }\n");
    const result = await runCli(["tools"], {
      DATABASE_PATH: join(tempDir(), "x.db"),
      RULES_FILE: rules,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "tools.myTool.class: expected one of read, search, write, destructive, admin",
    );
  });

  it("prints no control character of a tool name from the audit log on the terminal", async () => {
    const path = join(tempDir(), "hostile.db");
    const db = openStore(path);
    const base = normalizedEvent();
    const tool = "getJiraIssue\u001b]0;owned\u0007\u001b[2J\u009b31m\nforged row";
    new EventStore(db).insertMany([{ ...base, id: "e-1", time: Date.now() - HOUR, tool }], T0);
    db.close();
    const out = await runCli(["tools"], { DATABASE_PATH: path });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain("getJiraIssue]0;owned[2J31m forged row");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be printed
    expect(out.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out.stdout.split("\n").filter((l) => l.startsWith("forged"))).toEqual([]);
  });

  it("prints no bidirectional override nor invisible character of a tool name on the terminal", async () => {
    const path = join(tempDir(), "bidi.db");
    const db = openStore(path);
    const base = normalizedEvent();
    const tool = "getJira\u202eeussI\u202c\u200d\u2060Page";
    new EventStore(db).insertMany([{ ...base, id: "e-1", time: Date.now() - HOUR, tool }], T0);
    db.close();
    const out = await runCli(["tools"], { DATABASE_PATH: path });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain("getJiraeussIPage");
    expect(out.stdout).not.toMatch(/[\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069]/);
  });

  it("says when nothing is stored yet", async () => {
    const path = join(tempDir(), "empty.db");
    expect((await runCli(["migrate"], { DATABASE_PATH: path })).code).toBe(0);
    const result = await runCli(["tools"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("no events stored yet\n");
  });
});
