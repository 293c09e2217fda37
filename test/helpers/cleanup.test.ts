import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { closeAfterTest, closeOpened } from "./cleanup.js";
import { tempDir } from "./tmp.js";

describe("what a test opened", () => {
  it("is closed the last first, every one tried, a failure said", async () => {
    const closed: string[] = [];
    closeAfterTest(() => closed.push("folder"));
    closeAfterTest(() => {
      throw new Error("server refused to close");
    });
    closeAfterTest(async () => closed.push("database"));
    await expect(closeOpened()).rejects.toThrow("server refused to close");
    expect(closed).toEqual(["database", "folder"]);
    await closeOpened(); // nothing left
    expect(closed).toHaveLength(2);
  });

  let folder = "";
  it("a folder from tempDir()", () => {
    folder = tempDir();
    expect(existsSync(folder)).toBe(true);
  });
  it("is gone once its test ended", () => {
    expect(folder).not.toBe("");
    expect(existsSync(folder)).toBe(false);
  });
});

/** Every .ts file under `dir` but test files. */
function helpers(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return helpers(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("helpers shared by test files", () => {
  it("add what they open to closeAfterTest rather than registering hooks of their own", () => {
    // Workers share modules between files (no isolation): a helper's top-level hook would be
    // registered in the first file of a worker that imports it, and never again.
    const root = join(import.meta.dirname, "..");
    const hooked = helpers(root)
      .filter((path) => /^\s*(after|before)(Each|All)\(/m.test(readFileSync(path, "utf8")))
      .map((path) => relative(root, path));
    expect(hooked).toEqual(["helpers/after-each.ts"]);
  });
});
