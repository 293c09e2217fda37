/**
 * A backup restored as docs/operations.md says, with the SIEM export on: the SIEM dedupes on
 * record_id (docs/export.md), so a record made after the restore must never take the record_id
 * of a different record it already has from the timeline lost with the disk, and a record sent
 * again must keep its record_id.
 */
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { backupDatabase } from "../../src/store/backup.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { connect, newAlert } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const DAY = 86_400_000;
let receiver: SiemReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe("restoring a backup with the SIEM export on", () => {
  it("gives records made after the restore new record_ids and records sent again their own", async () => {
    receiver = await SiemReceiver.start(SECRET);
    const siem = receiver;
    const dir = tempDir();
    const path = join(dir, "mcp-activity.db");
    const clock = new VirtualClock();
    const logs = capturedLogger("info");
    const signal = new AbortController().signal;
    const store = (s: ReturnType<typeof connect>, id: string, user = "acc-alice") =>
      s.transaction(() =>
        s.events.insertMany([mcpEvent({ id, userId: user, actorId: user })], clock.now()),
      );
    const deliver = (s: ReturnType<typeof connect>) =>
      exporterTo(siem, SECRET, s, clock, logs.logger).pass(signal);

    // Monday: an event and an alert, delivered; the nightly backup.
    let s = connect(path);
    store(s, "ev-mon");
    s.alerts.insert(newAlert({ createdAt: clock.now() }));
    await deliver(s);
    await backupDatabase(s.db, join(dir, "monday.db"));

    // Tuesday: another event, a responder acknowledges the alert; all delivered.
    clock.advance(DAY);
    store(s, "ev-tue");
    s.trail.change("org-1", 1, "acknowledged", "U1", clock.now(), () => true);
    await deliver(s);
    s.db.close();

    // The disk is lost; Monday's backup restored as docs/operations.md says.
    copyFileSync(join(dir, "monday.db"), path);
    for (const side of ["-wal", "-shm"]) rmSync(`${path}${side}`, { force: true });

    // Wednesday: the poll resumes from Monday's cursor and fetches Tuesday's event again; Bob's
    // call and an alert about Bob, never seen before; Monday's alert acknowledged once more.
    clock.advance(DAY);
    s = connect(path);
    store(s, "ev-tue");
    store(s, "ev-wed-bob", "acc-bob");
    s.alerts.insert(
      newAlert({
        ruleId: "mcp-not-me",
        groupKey: "mcp-not-me|acc-bob",
        title: "Bob said the calls were not him",
        userId: "acc-bob",
        userName: "Bob",
        userEmail: "bob@example.com",
        createdAt: clock.now(),
      }),
    );
    s.trail.change("org-1", 1, "acknowledged", "U2", clock.now(), () => true);
    await deliver(s);
    s.db.close();

    const records = siem.records();
    const contents = new Map<string, Set<string>>();
    for (const { record_id, ...rest } of records) {
      const seen = contents.get(String(record_id)) ?? new Set<string>();
      contents.set(String(record_id), seen.add(JSON.stringify(rest)));
    }
    // One record_id, one record: none of Wednesday's is dropped as a duplicate of Tuesday's.
    expect([...contents].filter(([, c]) => c.size > 1).map(([id]) => id)).toEqual([]);
    // Tuesday's event, sent again, comes with the record_id the SIEM has: deduplicated.
    const tuesday = records.filter((r) => r.id === "ev-tue").map((r) => r.record_id);
    expect(tuesday).toEqual(["org-1:mcp_event:ev-tue", "org-1:mcp_event:ev-tue"]);
    // Every change is a record of its own: Monday's raise, Tuesday's and Wednesday's
    // acknowledgements of the same alert, Bob's raise.
    const changes = records.filter((r) => r.kind === "alert").map((r) => r.record_id);
    expect(new Set(changes).size).toBe(4);
  });
});
