import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/tmp.js";

const LIFECYCLE = new URL("../dist/commands/lifecycle.js", import.meta.url).href;

describe("stopWithinLimit", () => {
  it("ends a stop that hangs after 10 s with exit 1, cleaning up first", () => {
    const marker = join(tempDir(), "cleaned");
    // A stop that never ends, in a process kept alive by a timer, as a hung app would be.
    const script = `
      import { writeFileSync } from "node:fs";
      import { stopWithinLimit } from ${JSON.stringify(LIFECYCLE)};
      setInterval(() => {}, 1000);
      const logger = { error: (m) => console.error(m), warn: (_o, m) => console.error(m) };
      await stopWithinLimit(logger, () => new Promise(() => {}), () => writeFileSync(${JSON.stringify(marker)}, "done"));
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain("shutdown took longer than 10 s; exiting anyway");
    expect(existsSync(marker) && readFileSync(marker, "utf8")).toBe("done");
  }, 40_000);
});

describe("a Slack call in flight when the process is told to stop", () => {
  it("times out within the stop's limit, so the stop never waits past it", async () => {
    const { SHUTDOWN_LIMIT_MS } = await import("../src/commands/lifecycle.js");
    const { webClientOptions } = await import("../src/slack/client.js");
    expect(webClientOptions("http://127.0.0.1:9").timeout).toBeLessThan(SHUTDOWN_LIMIT_MS - 1_000);
  });
});
