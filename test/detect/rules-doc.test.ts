/**
 * docs/rules.md's table of rules says what the code does: every rule of src/detect/rules is in
 * it once, with its default severity, whether it is on by default, and its default mode.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/detect/rules/index.js";
import type { AlertMode } from "../../src/detect/types.js";

const DOC = readFileSync(resolve(import.meta.dirname, "../../docs/rules.md"), "utf8");
const COLUMNS = [
  "rule",
  "what it catches",
  "default severity",
  "default",
  "default mode",
  "a responder should",
];

/** The cells of a markdown table row ("| a | b |" → ["a", "b"]). */
const cellsOf = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());

/** The table of rules: the first table whose header has the columns above, row by row. */
function rulesTable(): string[][] {
  const lines = DOC.split("\n");
  const header = lines.findIndex(
    (line) => line.startsWith("|") && cellsOf(line).join("|") === COLUMNS.join("|"),
  );
  if (header < 0) throw new Error(`docs/rules.md has no table with columns ${COLUMNS.join(", ")}`);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(cellsOf(line));
  }
  return rows;
}

/** The first word of a cell, without markdown emphasis or code marks. */
const firstWord = (cell: string) => cell.replace(/[`*]/g, "").split(/[\s,;(]/)[0];

/** What a mode cell must say: its kind, and its length when it has one. */
function modeWords(mode: AlertMode): { kind: string; length?: RegExp } {
  if (mode.kind === "group")
    return { kind: "group", length: new RegExp(`\\b${mode.windowHours} h`) };
  if (mode.kind === "once")
    return {
      kind: "once",
      length: mode.days === null ? /for good/ : new RegExp(`\\b${mode.days} days`),
    };
  return { kind: mode.kind };
}

describe("docs/rules.md: the table of rules", () => {
  const rows = rulesTable();
  const byRule = new Map(rows.map((row) => [row[0]?.replace(/`/g, "") ?? "", row]));

  it("lists every rule once, and no rule that does not exist", () => {
    const listed = rows.map((row) => row[0]?.replace(/`/g, ""));
    expect([...listed].sort()).toEqual(RULES.map((rule) => rule.id).sort());
    for (const row of rows) {
      expect(row).toHaveLength(COLUMNS.length);
      for (const cell of row) expect(cell, `an empty cell in ${row[0]}`).not.toBe("");
    }
  });

  for (const rule of RULES) {
    it(`${rule.id}: its default severity, on or off, and mode`, () => {
      const [, , severity, enabled, mode] = byRule.get(rule.id) ?? [];
      expect(firstWord(severity ?? "")).toBe(rule.defaultSeverity);
      expect(firstWord(enabled ?? "")).toBe(rule.defaultEnabled ? "on" : "off");
      const expected = modeWords(rule.defaultMode ?? { kind: "alert" });
      expect(firstWord(mode ?? "")).toBe(expected.kind);
      if (expected.length) expect(mode).toMatch(expected.length);
    });
  }
});
