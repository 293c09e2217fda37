import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { tempDir } from "../helpers/tmp.js";
import { rules } from "./rules-command.js";

/** `rules check x.json` prints the effective configuration as JSON: saved, it is a rules file. */
describe("rules check on a JSON rules file", () => {
  it("prints JSON that rules check accepts and prints again the same", async () => {
    const dir = tempDir();
    const env = { DATABASE_PATH: join(dir, "none.db") };
    const example = parse(readFileSync("docs/rules.example.yml", "utf8"));
    const file = join(dir, "rules.json");
    writeFileSync(file, JSON.stringify(example));
    const first = await rules(["check", file], env);
    expect(first.code, first.err).toBe(0);
    const saved = join(dir, "saved.json");
    writeFileSync(saved, first.out);
    const again = await rules(["check", saved], env);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toEqual(JSON.parse(first.out));
    expect(JSON.parse(first.out).rules["mcp-write"]).toMatchObject({ mode: "digest" });
    // The notes, comments in YAML, go to stderr beside JSON.
    expect(first.err).toMatch(/rules\.json: valid\. Effective configuration:/);
    expect(first.err).toMatch(/no suppressions added by responders/);
  });

  it("prints YAML with its notes as comments for a YAML file", async () => {
    const dir = tempDir();
    const check = await rules(["check", "docs/rules.example.yml"], {
      DATABASE_PATH: join(dir, "none.db"),
    });
    expect(check.code, check.err).toBe(0);
    expect(check.out).toMatch(/^# docs\/rules\.example\.yml: valid\./);
    expect(parse(check.out).rules["mcp-write"]).toMatchObject({ mode: "digest" });
  });
});
