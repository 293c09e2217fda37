import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createPoster } from "../../src/slack/delivery.js";
import { deliveryProblem } from "../../src/slack/outbox/stalled.js";
import type { Db } from "../../src/store/db.js";
import { posterWorker } from "../../src/workers/adapters.js";
import { CHANNEL, problemNow, slackRig } from "./setup.js";

/**
 * The disk fills: no free page is left, and the page holding the alert's delivery record is full,
 * so recording where Slack put the alert needs a page the disk does not have.
 */
function fillDisk(db: Db, alertId: number): void {
  db.exec("CREATE TABLE filler (b BLOB)");
  while (db.pragma("freelist_count", { simple: true }) !== 0)
    db.prepare("INSERT INTO filler VALUES (zeroblob(100))").run();
  const pages = () => db.pragma("page_count", { simple: true }) as number;
  const insert = (size: number) =>
    db
      .prepare(
        "INSERT INTO deliveries (org_id, alert_id, channel, revision, attempted_at, failure) VALUES ('org-0', ?, 'C', 1, 1, ?)",
      )
      .run(alertId, "f".repeat(size));
  const fits = (size: number): boolean => {
    const before = pages();
    db.exec("SAVEPOINT probe");
    try {
      insert(size);
      return pages() === before;
    } finally {
      db.exec("ROLLBACK TO probe");
      db.exec("RELEASE probe");
    }
  };
  let [low, high] = [0, 8_000];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  insert(low);
  db.pragma(`max_page_count = ${pages()}`);
}

/**
 * A poster whose producer writes (an alert's record), fails with a bug, or does nothing, as
 * `set` says; the disk is full from the start.
 */
async function fullDiskRig() {
  const r = await slackRig();
  let mode: "write" | "bug" | "none" = "write";
  r.db.exec("CREATE TABLE filler (b BLOB)");
  const poster = createPoster({
    stores: r.stores,
    client: r.client,
    pauses: r.pauses,
    clock: r.clock,
    logger: r.logs.logger,
    alertChannel: CHANNEL,
    producers: [
      () => {
        if (mode === "bug") throw new Error("an alert cannot be rendered");
        if (mode === "write") r.db.prepare("INSERT INTO filler VALUES (zeroblob(200000))").run();
        return false;
      },
    ],
  });
  r.db.pragma(`max_page_count = ${r.db.pragma("page_count", { simple: true })}`);
  await poster.drain();
  expect(poster.health().lastError?.code).toBe("SQLITE_FULL");
  return { r, poster, set: (m: typeof mode) => (mode = m) };
}

describe("the outbox when its database cannot be written", () => {
  it("says the database is the trouble, not Slack, and delivers once it clears", async () => {
    const r = await slackRig();
    r.db.pragma("busy_timeout = 50");
    const id = r.raise();
    const other = new Database(r.db.name);
    other.prepare("BEGIN EXCLUSIVE").run();
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(0);
    const line = r.logs
      .lines()
      .find((l) => String(l.msg).startsWith("Slack messages cannot be delivered"));
    expect(line?.msg).toBe(
      "Slack messages cannot be delivered: the database is locked by another process (SQLITE_BUSY): stop what holds a write lock on DATABASE_PATH (a second mcp-activity on the same file, an open sqlite3 shell or backup). They stay queued.",
    );
    expect(r.logs.text()).not.toContain("Slack delivery failed");
    expect(r.poster.health().lastError).toMatchObject({ code: "SQLITE_BUSY", advice: null });
    // The outbox's worker says the database's problem, as the poller's and the rules' do, and
    // never that Slack is out of reach, however long the messages wait.
    const waitedLong = {
      oldestPendingAt: () => r.clock.now() - 3_600_000,
      now: () => r.clock.now(),
    };
    const worker = posterWorker(r.poster, { ...waitedLong, missingScopes: () => [] }).health();
    expect(worker).toMatchObject({ ok: false, lastError: { kind: "database" } });
    expect(worker.lastError?.message).toMatch(
      /^the database is locked by another process \(SQLITE_BUSY\)/,
    );
    expect(
      deliveryProblem(r.poster.health().lastError, waitedLong.oldestPendingAt(), r.clock.now()),
    ).toBeNull();

    other.prepare("COMMIT").run();
    other.close();
    r.clock.advance(60_000);
    await r.poster.drain();
    const posted = r.slack
      .messages(CHANNEL)
      .filter((m) => JSON.stringify(m.blocks ?? []).includes(`alert_actions_${id}`));
    expect(posted).toHaveLength(1);
    expect(r.poster.health().lastError).toBeNull();
  });

  it("ends the database's problem at the next claim, even of nothing, and tells Slack's again", async () => {
    const r = await slackRig();
    r.db.pragma("busy_timeout = 50");
    // Slack refuses the alert channel: a setup problem, /healthz's to tell until a post gets through.
    r.slack.failNext("chat.postMessage", { error: "not_in_channel" });
    r.raise();
    await r.poster.drain();
    const setup = problemNow(r);
    expect(setup).toMatch(/^invite the bot to the alert channel/);

    const other = new Database(r.db.name);
    other.prepare("BEGIN EXCLUSIVE").run();
    await r.poster.drain();
    expect(r.poster.health().lastError?.code).toBe("SQLITE_BUSY");
    r.clock.advance(1_000);
    await r.poster.drain();
    expect(r.poster.health().lastError?.code).toBe("SQLITE_BUSY");

    other.prepare("COMMIT").run();
    other.close();
    r.clock.advance(1_000);
    await r.poster.drain();
    // Nothing was posted: the claim alone showed the database works, and Slack's problem stands.
    expect(r.slack.messages(CHANNEL)).toHaveLength(0);
    expect(r.poster.health().lastError?.code).toBe("not_in_channel");
    expect(problemNow(r)).toBe(setup);
    expect(
      r.logs.lines().filter((l) => l.msg === "the outbox reads and writes the database again"),
    ).toHaveLength(1);
  });

  it("keeps the database's problem while each pass meets it again before its claim", async () => {
    const r = await slackRig();
    // A full disk: the alert cannot be queued, while a claim of nothing writes no page.
    r.raise({ title: "x".repeat(5_000) });
    r.db.pragma(`max_page_count = ${r.db.pragma("page_count", { simple: true })}`);
    for (let pass = 0; pass < 3; pass++) {
      await r.poster.drain();
      expect(r.poster.health().lastError?.code).toBe("SQLITE_FULL");
      r.clock.advance(1_000);
    }
    r.db.pragma("max_page_count = 1073741823");
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.poster.health().lastError).toBeNull();
  });

  it("keeps a full disk's problem through claims of nothing, until a change is saved", async () => {
    const r = await slackRig();
    const id = r.raise();
    // Slack answers the alert slowly: the disk fills while the post is on its way.
    r.slack.failNext("chat.postMessage", { delayMs: 300 });
    const pass = r.poster.drain();
    await r.slack.waitFor(() => r.slack.callsTo("chat.postMessage").length > 0);
    fillDisk(r.db, id);
    await pass;
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.poster.health().lastError?.code).toBe("SQLITE_FULL");
    const worker = () =>
      posterWorker(r.poster, {
        oldestPendingAt: () => r.stores.outbox.health().oldestPendingAt,
        now: () => r.clock.now(),
        missingScopes: () => [],
      }).health();
    expect(worker()).toMatchObject({ ok: false, lastError: { kind: "database" } });

    // A second later the disk is as full as it was; the claims of nothing write no page.
    for (let n = 0; n < 3; n++) {
      r.clock.advance(1_000);
      await r.poster.drain();
      expect(r.stores.outbox.health().inFlight).toBe(1);
      expect(r.poster.health().lastError?.code).toBe("SQLITE_FULL");
      expect(worker().ok).toBe(false);
    }
    const said = (msg: string) => r.logs.lines().filter((l) => l.msg === msg);
    expect(said("the outbox reads and writes the database again")).toEqual([]);
    const full = r.logs.lines().filter((l) => String(l.msg).startsWith("Slack messages cannot"));
    expect(full.map((l) => l.level)).toEqual([50]); // error, once

    // The disk is freed: once its claim's lease is over, the alert is found in Slack and recorded.
    r.db.pragma("max_page_count = 1073741823");
    r.clock.advance(5 * 60_000);
    await r.poster.drain();
    expect(r.stores.deliveries.get("org-1", id)?.ts).toBe(r.slack.messages(CHANNEL)[0]?.ts);
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.poster.health().lastError).toBeNull();
    expect(worker().ok).toBe(true);
    expect(said("the outbox reads and writes the database again")).toHaveLength(1);
  });

  it("keeps a full disk's problem after a lock met meanwhile is over", async () => {
    const { r, poster, set } = await fullDiskRig();
    // A backup or a `reclassify` holds the write lock a moment.
    const other = new Database(r.db.name);
    other.exec("BEGIN IMMEDIATE");
    r.db.pragma("busy_timeout = 0");
    r.clock.advance(1_000);
    await poster.drain();
    expect(poster.health().lastError?.code).toMatch(/^SQLITE_BUSY/);
    other.exec("ROLLBACK");
    other.close();
    // The lock is gone, the disk is as full as before: a claim of nothing writes no page.
    set("none");
    r.clock.advance(1_000);
    await poster.drain();
    expect(() => r.db.prepare("INSERT INTO filler VALUES (zeroblob(200000))").run()).toThrow(
      /full/,
    );
    expect(poster.health().lastError?.code).toBe("SQLITE_FULL");
    const said = (msg: string) => r.logs.lines().filter((l) => l.msg === msg);
    expect(said("the outbox reads and writes the database again")).toEqual([]);
    expect(said("the outbox claims again; the database still saves no change")).toMatchObject([
      { previous: expect.stringMatching(/^SQLITE_BUSY/), standing: "SQLITE_FULL" },
    ]);
  });

  it("keeps a full disk's problem after a bug met meanwhile is over", async () => {
    const { r, poster, set } = await fullDiskRig();
    set("bug");
    r.clock.advance(1_000);
    await poster.drain();
    expect(poster.health().lastError?.code).toBe("internal");
    set("none");
    r.clock.advance(1_000);
    await poster.drain();
    expect(poster.health().lastError?.code).toBe("SQLITE_FULL");
    expect(r.logs.text()).not.toContain("the outbox runs again without failing");
  });
});
