/**
 * What makes /healthz answer 503 shows on /metrics too, in the part that needs the operator: a
 * Prometheus that scrapes /metrics alone misses no outage /healthz tells.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Family, parseExposition } from "../helpers/exposition.js";
import { readUntil } from "../helpers/until.js";
import { bulkyEvents, fillDisk, freeDisk, keptConnections } from "./full-disk.js";
import { injectDestructiveCall, type Running, startFaultyApp } from "./harness.js";

const { open, opened } = keptConnections();
afterEach(() => {
  opened.splice(0);
});

/** The family `mcp_activity_worker_up` of one scrape. */
async function workerUp(r: Running): Promise<Family | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${r.app.port}/metrics`)).text();
  const { families, problems } = parseExposition(text);
  expect(problems).toEqual([]);
  return families.get("mcp_activity_worker_up");
}

/**
 * Each worker's `mcp_activity_worker_up` from one scrape, by its whole label set: `worker@org`,
 * or `worker` alone for the shared ones, so that one organization's value never hides another's.
 */
async function workersUp(r: Running): Promise<Record<string, number>> {
  const samples = (await workerUp(r))?.samples ?? [];
  return Object.fromEntries(
    samples.map((s) => [
      s.labels.org ? `${s.labels.worker}@${s.labels.org}` : s.labels.worker,
      s.value,
    ]),
  );
}

describe("/metrics while /healthz answers 503", () => {
  it("rules that cannot run: the poller's worker is down until they run again", async () => {
    // Ten times real time: polls every half second, so that a machine under load does not make
    // the poller stale (three intervals) while the rules are the part that fails.
    const r = await startFaultyApp({ factor: 10 });
    // The rules cannot store an alert (a schema broken under the bot): every run fails.
    const db = new Database(r.databasePath);
    db.exec(
      "CREATE TRIGGER no_alerts BEFORE INSERT ON alerts BEGIN SELECT RAISE(ABORT, 'alerts are broken'); END",
    );
    injectDestructiveCall(r, "d1");
    const during = await readUntil(r.health, (h) => h.status === 503, "/healthz 503", 20_000);
    expect(during.body).toMatchObject({ poller: { ok: true }, rules: { ok: false } });
    expect(during.body.workers.find((w) => w.name === "poller")).toMatchObject({
      ok: false,
      lastError: { message: "the rules cannot run: alerts are broken" },
    });
    expect(await workersUp(r)).toMatchObject({
      "poller@org-faults": 0,
      outbox: 1,
      "digest@org-faults": 1,
    });
    // Its polls go well: what its 0 means, the scrape says as the docs do.
    expect((await workerUp(r))?.help).toMatch(
      /^1 while a worker is well, 0 while it needs the operator;/,
    );

    db.exec("DROP TRIGGER no_alerts");
    db.close();
    await readUntil(r.health, (h) => h.status === 200, "/healthz 200 once the rules run", 20_000);
    expect(await workersUp(r)).toMatchObject({ "poller@org-faults": 1 });
  }, 45_000);

  it("a poll that meets a full disk: the poller's worker is down at once, not after three intervals", async () => {
    // Real time, polls every 5 s: the poller would turn unhealthy itself only after 15 s.
    const r = await startFaultyApp({ open, factor: 1 });
    const db = opened[0];
    if (!db) throw new Error("the app opened no database");
    fillDisk(db);
    r.sim.injectEvents(bulkyEvents(100, r.clock.now()));
    const during = await readUntil(r.health, (h) => h.status === 503, "/healthz 503");
    expect(during.body).toMatchObject({
      poller: { ok: true, lastError: { kind: "database" } },
      database: { ok: false },
    });
    expect(await workersUp(r)).toMatchObject({ "poller@org-faults": 0, outbox: 1 });

    freeDisk(db);
    await readUntil(r.health, (h) => h.status === 200, "/healthz 200 once the disk has room");
    expect(await workersUp(r)).toMatchObject({ "poller@org-faults": 1 });
  }, 30_000);
});

it("mcp_activity_worker_up's help names no worker: the label does, for every one a scrape reports", async () => {
  const r = await startFaultyApp({ env: { DIGEST_WEEKLY_CRON: "0 9 * * 1" } });
  const family = await workerUp(r);
  const workers = [...new Set(family?.samples.map((s) => s.labels.worker ?? ""))];
  expect(workers).toEqual(expect.arrayContaining(["poller", "outbox", "digest", "weekly-digest"]));
  // A list in the help would leave out the workers added after it, or only on in some setups.
  expect(workers.filter((w) => new RegExp(`\\b${w}\\b`).test(family?.help ?? ""))).toEqual([]);
  expect(family?.help).toContain("`worker` names it");
}, 30_000);
