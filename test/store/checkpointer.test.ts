import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CheckpointPass, startCheckpointer } from "../../src/store/checkpointer.js";
import { openStore } from "../../src/store/open.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const autocheckpoint = (db: ReturnType<typeof openStore>) =>
  db.pragma("wal_autocheckpoint", { simple: true });

function fill(db: ReturnType<typeof openStore>, rows: number): void {
  db.exec("CREATE TABLE IF NOT EXISTS filler (n INTEGER, text TEXT)");
  const insert = db.prepare("INSERT INTO filler VALUES (?, ?)");
  for (let i = 0; i < rows; i++) db.transaction(() => insert.run(i, "x".repeat(4000)))();
}

describe("checkpointer", () => {
  it("takes the checkpoints off the bot's connection, and gives them back when stopped", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    const passes: CheckpointPass[] = [];
    const logs = capturedLogger();
    const checkpointer = startCheckpointer(db, {
      logger: logs.logger,
      everyMs: 20,
      onPass: (pass) => passes.push(pass),
    });
    await until(() => autocheckpoint(db) === 0, "the bot's connection stops checkpointing");
    fill(db, 300); // ~1.2 MB of log, which the connection no longer checkpoints itself
    await until(
      () => passes.some((p) => p.log >= 300 && p.checkpointed === p.log),
      "a pass copies the whole log into the database file",
    );
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(8192);
    expect(logs.text()).not.toContain("stopped");
    db.close();
  });

  it("says so when its thread fails, and the connection checkpoints on its own again", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    const logs = capturedLogger();
    const checkpointer = startCheckpointer(db, {
      logger: logs.logger,
      driver: join(tempDir(), "no-such-driver.js"),
    });
    await until(
      () => logs.text().includes("the checkpoint thread stopped"),
      "the failure is logged",
    );
    expect(autocheckpoint(db)).toBe(8192);
    expect(logs.text()).toContain("the bot checkpoints on its own thread");
    await checkpointer.stop();
    db.close();
  });
});
