import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeFolder } from "../../src/store/folder.js";
import { tempDir } from "../helpers/tmp.js";

describe("makeFolder", () => {
  it("makes every missing folder down to the one asked for, each private to its owner", () => {
    const root = tempDir();
    const dir = join(root, "a", "b", "c");
    makeFolder(dir);
    for (const made of [join(root, "a"), join(root, "a", "b"), dir])
      expect(statSync(made).mode & 0o777).toBe(0o700);
  });

  it("leaves a folder that is there as it is", () => {
    const dir = join(tempDir(), "there");
    mkdirSync(dir, { mode: 0o755 });
    makeFolder(dir);
    expect(existsSync(dir)).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });

  it("fails with the real reason when a file stands in the way", () => {
    const root = tempDir();
    makeFolder(join(root, "f"));
    const file = join(root, "f", "file");
    writeFileSync(file, "");
    expect(() => makeFolder(join(file, "below"))).toThrow(/ENOTDIR/);
  });
});
