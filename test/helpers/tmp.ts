import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAfterTest } from "./cleanup.js";

/** A fresh folder removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-test-"));
  closeAfterTest(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
