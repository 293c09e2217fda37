/** The CSV file of an export, written to a real file: its rows, its cap, and a write that fails. */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { CsvEvent } from "../../../src/domain/activity.js";
import { writeCsv } from "../../../src/slack/commands/export.js";
import { mcpEvent } from "../../detect/fixtures.js";
import { tempDir } from "../../helpers/tmp.js";

const events = (n: number): CsvEvent[] =>
  Array.from({ length: n }, (_, i) => mcpEvent({ id: `ev-${i}`, resource: `OPS-${i}` }));
const storeOf = (rows: CsvEvent[]) => ({
  *csvRows() {
    for (let i = 0; i < rows.length; i += 500) yield rows.slice(i, i + 500);
  },
});

describe("an export's CSV file", () => {
  it("holds a header, the rows, and a last line when more matched than it holds", async () => {
    const path = join(tempDir(), "export.csv");
    const result = await writeCsv(storeOf(events(1_200)), {} as never, path, 1_000);
    const lines = readFileSync(path, "utf8").trimEnd().split("\r\n");
    expect(result).toMatchObject({ rows: 1_000, capped: true });
    expect(lines).toHaveLength(1_002);
    expect(lines.at(-1)).toMatch(/^"More events matched than one export holds \(1000 rows\)/);
    expect(result.bytes).toBe(readFileSync(path).length);
  });

  it("lets the event loop in between reads that found nothing (a rare word over months)", async () => {
    let read = 0;
    const slowAndEmpty = {
      *csvRows() {
        for (; read < 40; read++) {
          const until = performance.now() + 2; // each window's statement longer than a slice
          while (performance.now() < until);
          yield [];
        }
      },
    };
    let readWhenOthersRan: number | undefined;
    setImmediate(() => {
      readWhenOthersRan = read;
    });
    const result = await writeCsv(slowAndEmpty, {} as never, join(tempDir(), "rare.csv"));
    expect(result.rows).toBe(0);
    expect(readWhenOthersRan).toBeLessThan(5);
  });

  it("rejects when the file cannot be written, instead of waiting for ever", async () => {
    const path = join(tempDir(), "taken.csv");
    writeFileSync(path, "someone else's");
    await expect(writeCsv(storeOf(events(50_000)), {} as never, path)).rejects.toMatchObject({
      code: "EEXIST",
    });
    expect(readFileSync(path, "utf8")).toBe("someone else's");
  });

  it("rejects on a write that fails half way (a file size limit, as a full disk does)", async () => {
    // A child whose files may hold 64 KB at most: its writes past that fail (EFBIG).
    const script = `
      import { writeCsv } from ${JSON.stringify(join(process.cwd(), "dist/slack/commands/export.js"))};
      const rows = Array.from({ length: 5000 }, (_, i) => ({ id: "ev-" + i, time: 0, userName: "x".repeat(50) }));
      const store = { *csvRows() { yield rows; } };
      writeCsv(store, {}, process.argv[1]).then(
        () => console.log("written"),
        (error) => console.log("rejected", error.code),
      );`;
    const path = join(tempDir(), "big.csv");
    const run = promisify(execFile);
    const { stdout } = await run(
      "sh",
      ["-c", 'ulimit -f 128 && exec node --input-type=module -e "$0" "$1"', script, path],
      { timeout: 20_000 },
    );
    expect(stdout.trim()).toBe("rejected EFBIG");
  });
});
