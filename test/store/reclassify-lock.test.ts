import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { holdReclassifyLock, reclassifyRunning } from "../../src/store/reclassify-lock.js";
import { tempDir } from "../helpers/tmp.js";

describe("the reclassify lock beside the database", () => {
  it("is seen held while a reclassify runs, and refuses a second", () => {
    const path = join(tempDir(), "mcp-activity.db");
    expect(reclassifyRunning(path)).toBe(false);
    const held = holdReclassifyLock(path);
    try {
      expect(reclassifyRunning(path)).toBe(true);
      expect(() => holdReclassifyLock(path)).toThrow(/another reclassify is running/);
    } finally {
      held.release();
    }
    expect(reclassifyRunning(path)).toBe(false);
    holdReclassifyLock(path).release();
  });

  it("tells nothing, and throws nothing, when its file cannot be read", () => {
    // A lock file another user's run left unreadable, here a folder in its place: the bot's
    // start and `tools` only ask, and must go on.
    const path = join(tempDir(), "mcp-activity.db");
    mkdirSync(`${path}.reclassify.lock`);
    expect(reclassifyRunning(path)).toBe(false);
  });
});
