/**
 * What makes /healthz answer 503 shows on /metrics too, in the part that needs the operator: a
 * Prometheus that scrapes /metrics alone misses no outage /healthz tells.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { parseExposition } from "../helpers/exposition.js";
import { readUntil } from "../helpers/until.js";
import { injectDestructiveCall, type Running, startFaultyApp } from "./harness.js";

/** Each worker's `mcp_activity_worker_up`, by name, from one scrape. */
async function workersUp(r: Running): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${r.app.port}/metrics`)).text();
  const { families, problems } = parseExposition(text);
  expect(problems).toEqual([]);
  const samples = families.get("mcp_activity_worker_up")?.samples ?? [];
  return Object.fromEntries(samples.map((s) => [s.labels.worker, s.value]));
}

describe("/metrics while /healthz answers 503", () => {
  it("rules that cannot run: the poller's worker is down until they run again", async () => {
    const r = await startFaultyApp();
    // The rules cannot store an alert (a schema broken under the bot): every run fails.
    const db = new Database(r.databasePath);
    db.exec(
      "CREATE TRIGGER no_alerts BEFORE INSERT ON alerts BEGIN SELECT RAISE(ABORT, 'alerts are broken'); END",
    );
    injectDestructiveCall(r, "d1");
    const during = await readUntil(r.health, (h) => h.status === 503, "/healthz 503");
    expect(during.body).toMatchObject({ poller: { ok: true }, rules: { ok: false } });
    expect(during.body.workers.find((w) => w.name === "poller")).toMatchObject({
      ok: false,
      lastError: { message: "the rules cannot run: alerts are broken" },
    });
    expect(await workersUp(r)).toMatchObject({ poller: 0, outbox: 1, digest: 1 });

    db.exec("DROP TRIGGER no_alerts");
    db.close();
    await readUntil(r.health, (h) => h.status === 200, "/healthz 200 once the rules run");
    expect(await workersUp(r)).toMatchObject({ poller: 1 });
  });
});
