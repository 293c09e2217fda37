/** A check whose id an answered, pruned check had: its answer shows all the same. */
import { expect, it } from "vitest";
import { DAY } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { ALICE, attestationRig, buttonValue, idIn, MONDAY } from "./attestation-rig.js";

it("next week's check shows its answer although last week's answered check, pruned, had its id", async () => {
  const r = await attestationRig();
  const answer = async (week: number) => {
    await r.weekly().run();
    await r.settled();
    await r.poster.drain();
    const message = r.dm(ALICE)[week];
    const value = buttonValue(message?.blocks);
    await r.click("attest_ok", ALICE, value, {
      channel: r.slack.dmChannel(ALICE),
      ts: message?.ts ?? "",
    });
    await r.settled();
    await r.poster.drain();
    return idIn(value);
  };
  const first = await answer(0);
  await r.slack.waitFor(() => r.dm(ALICE)[0]?.text.includes("looks right") ?? false);
  // A retention of 3 days, on Thursday: last week's answered check goes with its week.
  r.clock.advance(3 * DAY);
  expect(
    r.stores.retention.pruneAttestations("org-1", r.clock.now() - 3 * DAY, r.clock.now()),
  ).toBe(1);
  // The next Monday, a new week of Alice's calls.
  const next = MONDAY + 7 * DAY;
  const base = normalizedEvent();
  r.stores.events.insertMany(
    Array.from({ length: 21 }, (_, i) => ({ ...base, id: `w2-${i}`, time: next - 2 * DAY + i })),
    T0,
  );
  r.clock.advance(next - r.clock.now());
  const state = { orgId: "org-1", cursor: null, lastProcessedAt: next, backfillFrom: null };
  r.stores.pollStates.save(
    { ...state, backfillUntil: MONDAY - 30 * DAY, backfillDone: true },
    next,
  );
  const second = await answer(1);
  expect(second).toBe(first); // SQLite gave the pruned check's id again
  expect(r.stores.attestations.get(second)?.answer).toBe("yes");
  await r.slack.waitFor(
    () => r.dm(ALICE)[1]?.text.includes("looks right") ?? false,
    3000,
    "the second message shows its answer",
  );
});
