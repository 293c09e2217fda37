/**
 * The poller keeps the organization's name the list of organizations gives, so a restart names it
 * before the list answers again. Keeping it is no part of reading the audit log: a database that
 * refuses that write (a full disk, a lock held too long) does not fail the poll.
 */
import { expect, it, onTestFinished } from "vitest";
import { until } from "../helpers/until.js";
import { rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

it("a name the database does not take is used all the same, said once, and the audit log is read", async () => {
  const r = await rig({ hours: 1 });
  r.db.exec(
    `CREATE TRIGGER refuse_names BEFORE INSERT ON organization_names
     BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
  );
  const outcomes: string[] = [];
  const poller = pollerVia(r, r.sim.url, {
    onPoll: (outcome) => outcomes.push("kind" in outcome ? outcome.kind : "read"),
  });
  const stop = new AbortController();
  onTestFinished(() => stop.abort());
  const running = poller.run(stop.signal);
  await until(() => outcomes.length >= 2, "two polls", 20_000, 5);
  stop.abort();
  await running;
  expect(
    outcomes.every((o) => o === "read"),
    outcomes.join(),
  ).toBe(true);
  expect(r.count()).toBeGreaterThan(0);
  expect(poller.orgName).toBe("Acme");
  const said = r.logs.lines().filter((l) => String(l.msg).includes("name could not be kept"));
  expect(said.map((l) => [l.level, l.msg])).toEqual([
    [40, expect.stringContaining("database or disk is full")],
  ]);
});
