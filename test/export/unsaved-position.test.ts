/**
 * A batch the receiver took (2xx) whose position the database would not save (another writer
 * holds the lock, a full disk): the save is tried again with backoff, and the batch not POSTed again.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { backoffMs } from "../../src/atlassian/retry.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore, T } from "../store/setup.js";
import { exporterTo, runUntil } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("a batch the receiver took whose position could not be saved", () => {
  it("saves the position again with backoff, says so once and its end, and never POSTs the batch again", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = freshStore();
    const clock = new VirtualClock();
    const logs = capturedLogger("debug");
    const exporter = exporterTo(receiver, SECRET, s, clock, logs.logger);
    s.transaction(() => s.events.insertMany([mcpEvent({ id: "a" }), mcpEvent({ id: "b" })], T));
    s.db.pragma("busy_timeout = 50"); // 5000 in production: the same, slower
    const other = new Database(s.path);
    other.exec("BEGIN IMMEDIATE"); // another writer holds the lock
    try {
      await runUntil(exporter, () => clock.sleeps.length >= 4, "four saves that failed");
      expect(exporter.section()).toMatchObject({
        ok: false,
        lastError: { message: expect.stringMatching(/could not be saved: database is locked$/) },
        organizations: [{ delivered: { mcp_event: 0, alert: 0 } }],
      });
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(receiver.batches.map((b) => [b.status, b.records.length])).toEqual([[200, 2]]);
    expect(clock.sleeps.slice(0, 4)).toEqual([0, 1, 2, 3].map((n) => backoffMs(n, () => 1)));

    await runUntil(exporter, () => exporter.section().ok, "the position saved");
    expect(receiver.batches).toHaveLength(1);
    expect(s.export.positions("org-1").mcp_event).toBeGreaterThan(0);
    const said = logs
      .lines()
      .filter((l) => Number(l.level) >= 30 && /saved/.test(String(l.msg)))
      .map((l) => [l.level, String(l.msg).split(";")[0]]);
    expect(said).toEqual([
      [
        40,
        "export: the receiver took the records, but where they reach could not be saved: database is locked",
      ],
      [30, "export: the delivered positions are saved again"],
    ]);
  });
});
