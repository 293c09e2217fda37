/**
 * The operator contract and its documentation agree: every environment variable the schema reads
 * has a row in docs/configuration.md and a line in .env.example, and neither names a variable the
 * schema does not read.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fullShape } from "../src/config-schema.js";
import { SECRET_VARIABLES } from "../src/secret-files.js";

const ROOT = resolve(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

const schema = Object.keys(fullShape).sort();
const known = new Set([...schema, ...SECRET_VARIABLES.map((name) => `${name}_FILE`)]);

/** The variables named in the first column of the table of variables. */
function tableRows(): string[] {
  const rows = [...read("docs/configuration.md").matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)];
  return rows.map(([, name]) => name ?? "");
}

/** The variables .env.example sets or shows commented out. */
function exampleLines(): string[] {
  return [...read(".env.example").matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map(
    ([, name]) => name ?? "",
  );
}

describe("the documented configuration", () => {
  it("docs/configuration.md has a row for every variable, and none for another", () => {
    const rows = tableRows();
    expect(schema.filter((name) => !rows.includes(name))).toEqual([]);
    expect(rows.filter((name) => !known.has(name))).toEqual([]);
  });

  it(".env.example lists every variable, and no other", () => {
    const lines = exampleLines();
    expect(schema.filter((name) => !lines.includes(name))).toEqual([]);
    expect(lines.filter((name) => !known.has(name))).toEqual([]);
  });
});
