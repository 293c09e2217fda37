/**
 * BACKFILL_DAYS=180 against an audit log that refuses a `from` more than 180 days back by its own
 * clock (400 ADMIN-400-3), with this machine's clock behind Atlassian's: a proxy on 127.0.0.1 in
 * front of the simulator refuses as the log does; a real SQLite file.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Poller } from "../../src/ingest/poller.js";
import { Secret } from "../../src/secret.js";
import { startSimulator } from "../../src/simulator/index.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { API_KEY, NOW } from "./setup.js";
import { proxy } from "./stream-proxy.js";

const REFUSED =
  '{"errors":[{"status":"400","code":"ADMIN-400-3","title":"from is more than 180 days back"}]}';

/**
 * A 180-day backfill through a log whose clock is `skew` ahead of this machine's and that keeps
 * `keptMs` back; the first poll fails on a key not accepted yet, then three polls 10 minutes apart
 * (and three more after a restart with `restartDays` as BACKFILL_DAYS, when given).
 */
async function backfill180(skew: number, keptMs = 180 * DAY, restartDays?: number) {
  const clock = new VirtualClock(NOW);
  const atlassian = { now: () => clock.now() + skew };
  const sim = await startSimulator({
    seed: 3,
    orgId: "org-skew",
    apiKey: API_KEY,
    start: NOW - 2 * DAY,
    intervalMs: HOUR,
    clock: atlassian,
  });
  const db = openStore(join(tempDir(), "skew.db"));
  closeAfterTest(async () => {
    await sim.close();
    db.close();
  });
  let refuseKey = true;
  const refused: number[] = [];
  const url = await proxy(sim.url, (u, forward) => {
    if (refuseKey) return { status: 401, body: '{"errors":[{"status":"401","code":"ADMIN-401"}]}' };
    const from = u.searchParams.get("from");
    if (from !== null && Number(from) < atlassian.now() - keptMs) {
      refused.push(Number(from));
      return { status: 400, body: REFUSED };
    }
    return forward(u);
  });
  const logs = capturedLogger();
  const client = new AtlassianClient({
    baseUrl: url,
    orgId: sim.orgId,
    apiKey: new Secret(API_KEY),
    clock,
    logger: logs.logger,
    maxWaitMs: MINUTE,
    timeoutMs: 2_000,
    random: () => 0.5,
  });
  const poller = new Poller({
    stores: repositories(db),
    client,
    clock,
    logger: logs.logger,
    intervalMs: MINUTE,
    backfillDays: 180,
    pageLimit: 50,
  });
  await poller.pollOnce().catch(() => undefined); // the key not accepted yet
  refuseKey = false;
  const errors: string[] = [];
  for (let i = 0; i < 3; i++) {
    clock.advance(10 * MINUTE);
    await poller.pollOnce().catch((e: Error) => errors.push(e.message));
  }
  if (restartDays !== undefined) {
    errors.length = 0;
    // The bot restarted with a lower BACKFILL_DAYS, three polls 10 minutes apart.
    const again = new Poller({
      stores: repositories(db),
      client,
      clock,
      logger: logs.logger,
      intervalMs: MINUTE,
      backfillDays: restartDays,
      pageLimit: 50,
    });
    for (let i = 0; i < 3; i++) {
      clock.advance(10 * MINUTE);
      await again.pollOnce().catch((e: Error) => errors.push(e.message));
    }
  }
  const stored = (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  const state = repositories(db).pollStates.get(sim.orgId);
  const done = state?.backfillDone;
  return { stored, errors, refused: refused.length, done, logs, state, atlassian };
}

it("a 180-day backfill whose first poll failed is read once the key is accepted, this machine's clock 10 minutes behind Atlassian's", async () => {
  const { stored, errors, refused, done } = await backfill180(10 * MINUTE);
  expect({ errors, refused, done }).toEqual({ errors: [], refused: 0, done: true });
  expect(stored).toBeGreaterThanOrEqual(48);
});

it("a 180-day backfill whose first poll failed is read once the key is accepted, the clocks agreeing", async () => {
  const { stored, errors, refused, done } = await backfill180(0);
  expect({ errors, refused, done }).toEqual({ errors: [], refused: 0, done: true });
  expect(stored).toBeGreaterThanOrEqual(48);
});

it("a read from the oldest time the log keeps refused all the same is asked again an hour later", async () => {
  // The log keeps 30 minutes less than 180 days, as its clock counts them.
  const { stored, errors, refused, done, logs } = await backfill180(0, 180 * DAY - 30 * MINUTE);
  expect({ errors, refused, done }).toEqual({ errors: [], refused: 1, done: true });
  expect(stored).toBeGreaterThanOrEqual(48);
  expect(logs.text()).toContain("the audit log refused a read from the oldest time it keeps");
  expect(logs.text()).toContain("leaving out the oldest 60 min of the history asked");
});

it("a log that keeps two hours less than 180 days is read from further on in the same poll, and the start kept", async () => {
  const { stored, errors, refused, done, state, logs } = await backfill180(0, 180 * DAY - 2 * HOUR);
  // Refused from the oldest and from an hour later; read from three hours later.
  expect({ errors, refused, done }).toEqual({ errors: [], refused: 2, done: true });
  expect(stored).toBeGreaterThanOrEqual(48);
  expect(logs.text()).toContain("leaving out the oldest 3 h of the history asked");
  // The start moved is kept: the next poll, or a restart, does not ask from the oldest again.
  expect(state?.backfillFrom).toBe(NOW + 10 * MINUTE - (180 * DAY - 5 * MINUTE) + 3 * HOUR);
});

it("a log that keeps twelve hours less than 180 days is read past with steps that grow, up to a day", async () => {
  const { stored, errors, refused, done } = await backfill180(0, 180 * DAY - 12 * HOUR);
  // From the oldest, then 1, 3 and 7 hours later refused; 15 hours later read.
  expect({ errors, refused, done }).toEqual({ errors: [], refused: 4, done: true });
  expect(stored).toBeGreaterThanOrEqual(48);
});

it("a log that keeps more than a day less than 180 days is not read past", async () => {
  const { errors, done, state } = await backfill180(0, 178 * DAY);
  expect({ polls: errors.length, done }).toEqual({ polls: 3, done: false });
  expect(errors[0]).toContain("ADMIN-400-3");
  // Moved at most a day past the oldest the last poll counted.
  expect(state?.backfillFrom).toBeLessThanOrEqual(
    NOW + 30 * MINUTE - (180 * DAY - 5 * MINUTE) + DAY,
  );
});

it("a backfill refused at every poll starts later after a restart with a lower BACKFILL_DAYS", async () => {
  // The log keeps 175 days: a 180-day backfill is refused for good, a 90-day one is not.
  const { stored, errors, done, state, logs } = await backfill180(0, 175 * DAY, 90);
  expect({ errors, done }).toEqual({ errors: [], done: true });
  expect(stored).toBeGreaterThanOrEqual(48);
  expect(state?.backfillFrom).toBe(NOW - 90 * DAY);
  expect(logs.text()).toContain("BACKFILL_DAYS=90 starts the backfill not read yet later");
});

it("a restart with the same BACKFILL_DAYS keeps the later start the refusals moved on to", async () => {
  const { errors, done, state } = await backfill180(0, 175 * DAY, 180);
  expect({ polls: errors.length, done }).toEqual({ polls: 3, done: false });
  // A day past the oldest the last poll counted, not 180 days back again.
  expect(state?.backfillFrom).toBe(NOW + 60 * MINUTE - (180 * DAY - 5 * MINUTE) + DAY);
});
