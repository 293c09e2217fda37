/**
 * The weekly check goes to the address the account has now: not one it gave up, even when made up
 * late; and an account whose address another account took up after its last call, in any watched
 * organization, is not asked.
 */
import { expect, it } from "vitest";
import { DAY, HOUR } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { attestationRig, MONDAY } from "./attestation-rig.js";

it("a check made up after an outage goes to the address the account has now, not one it gave up after the week", async () => {
  const r = await attestationRig();
  r.slack.addUser({ id: "UXAVIER", email: "xavier@new.example.com" });
  r.slack.addUser({ id: "UZOE", email: "xavier@example.com" }); // the address Xavier gave up
  const x = { ...normalizedEvent(), userId: "acc-x", actorId: "acc-x", userName: "Xavier" };
  r.stores.events.insertMany(
    [
      ...Array.from({ length: 25 }, (_, i) => ({
        ...x,
        id: `wk-${i}`,
        time: MONDAY - 2 * DAY + i,
        userEmail: "xavier@example.com",
      })),
      // After the week's end, stored before the made-up run: the account's address now.
      { ...x, id: "after-1", time: MONDAY + HOUR, userEmail: "xavier@new.example.com" },
    ],
    T0,
  );
  r.clock.advance(5 * HOUR); // the bot was down at the check's time: made up within the day
  const state = {
    orgId: "org-1",
    cursor: null,
    lastProcessedAt: r.clock.now(),
    backfillFrom: null,
  };
  r.stores.pollStates.save(
    { ...state, backfillUntil: MONDAY - 30 * DAY, backfillDone: true },
    r.clock.now(),
  );
  await r.weekly().run();
  await r.settled();
  await r.poster.drain();
  expect(r.dm("UZOE")).toHaveLength(0);
  expect(r.dm("UXAVIER")).toHaveLength(1);
});

it("does not send the new holder of an address the week of the account that gave it up", async () => {
  const r = await attestationRig();
  r.slack.addUser({ id: "UNEW", email: "ops@example.com" });
  const who = (id: string, name: string) => ({
    userId: id,
    actorId: id,
    userName: name,
    actorName: name,
    userEmail: "ops@example.com",
    actorEmail: "ops@example.com",
  });
  // The leaver's last calls on the week's second day; the new hire's first on its fourth.
  r.calls(25, { ...who("acc-leaver", "Lee Ver"), time: MONDAY - 7 * DAY + DAY });
  r.calls(25, { ...who("acc-new", "Nu Hire"), time: MONDAY - 7 * DAY + 3 * DAY });
  await r.weekly().run();
  await r.settled();
  await r.poster.drain();
  const asked = r.db
    .prepare("SELECT account_id FROM attestations WHERE slack_user = 'UNEW' ORDER BY account_id")
    .pluck()
    .all();
  expect(asked).toEqual(["acc-new"]);
  expect(r.dm("UNEW")).toHaveLength(1);
  expect(r.logs.text()).toContain("1 person(s) not asked: their address now is another account's");
});

it("does not send the leaver's week to the new holder of the address who calls in another organization", async () => {
  const r = await attestationRig("UTC", ["org-1", "org-2"]);
  r.slack.addUser({ id: "UNEW", email: "ops@example.com" });
  const who = (id: string, name: string) => ({
    userId: id,
    actorId: id,
    userName: name,
    actorName: name,
    userEmail: "ops@example.com",
    actorEmail: "ops@example.com",
  });
  // The leaver's last calls in org-1 on the week's second day; the new hire's first, in org-2
  // only, on its fourth: one Atlassian address, one Slack user, whatever the organization.
  r.calls(25, { ...who("acc-leaver", "Lee Ver"), orgId: "org-1", time: MONDAY - 7 * DAY + DAY });
  r.calls(25, { ...who("acc-new", "Nu Hire"), orgId: "org-2", time: MONDAY - 7 * DAY + 3 * DAY });
  await r.weekly({ orgId: "org-1" }).run();
  await r.settled();
  await r.poster.drain();
  const asked = r.db
    .prepare("SELECT org_id || ':' || account_id FROM attestations WHERE slack_user = 'UNEW'")
    .pluck()
    .all();
  expect(asked).toEqual([]);
  expect(r.dm("UNEW")).toHaveLength(0);
  expect(r.logs.text()).toContain("1 person(s) not asked: their address now is another account's");
});
