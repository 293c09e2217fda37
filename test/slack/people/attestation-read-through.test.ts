/**
 * The weekly check waits, as the digests do, for the audit log to be read past its time: after an
 * outage, the calls of the hours before it are stored late, and a check sent with what was stored
 * at its time would under-count people, or never ask someone they bring over minCalls.
 */
import { describe, expect, it } from "vitest";
import { MINUTE } from "../../../src/time-units.js";
import { ALICE, attestationRig, BOB, MONDAY } from "./attestation-rig.js";

/** Bob's calls of the week's last hours: over minCalls with his 5 of Friday. */
const BOBS = { userId: "acc-bob", userEmail: "bob@example.com", userName: "Bob" };

describe("the weekly check after an outage of the audit log", () => {
  it("counts the calls made before its time that a poll after it stores", async () => {
    const r = await attestationRig();
    // The last poll that read the log to its end began at 07:00; Atlassian answers 503 until 10:20.
    let readThrough: number | null = MONDAY - 30_000 - 180 * MINUTE;
    const check = r.weekly({ readThrough: () => readThrough });
    expect(await check.run()).toBe(0); // Monday 10:00:30, the check's time: it waits
    r.clock.advance(20 * MINUTE);
    // 10:20: the outage is over; the poll stores what Alice and Bob did from 07:00 to 09:59.
    r.calls(20, { time: MONDAY - 120 * MINUTE });
    r.calls(18, { ...BOBS, time: MONDAY - 120 * MINUTE });
    readThrough = r.clock.now();
    r.clock.advance(MINUTE);
    expect(await check.run()).toBe(2); // the worker's next pass
    await r.settled();
    await r.poster.drain();
    const [alice] = r.dm(ALICE);
    expect(alice?.text).toContain("AI tools acted as you: 46 calls"); // 26 + 20
    expect(JSON.stringify(alice?.blocks)).not.toContain("could not be read");
    expect(r.dm(BOB)).toHaveLength(1); // 5 + 18
  });

  it("is sent after 15 minutes without such a poll, saying its figures may be short", async () => {
    const r = await attestationRig();
    let polls = 0;
    const check = r.weekly({
      readThrough: () => MONDAY - 30_000 - 180 * MINUTE,
      pollSoon: () => polls++,
    });
    expect(await check.run()).toBe(0);
    r.clock.advance(14 * MINUTE);
    expect(await check.run()).toBe(0);
    expect(polls).toBe(1); // a poll is asked for once, not at every pass
    r.clock.advance(MINUTE);
    expect(await check.run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    const [alice] = r.dm(ALICE);
    expect(alice?.text).toContain("AI tools acted as you: 26 calls");
    expect(JSON.stringify(alice?.blocks)).toContain(
      "The audit log could not be read to the end of the week in time: calls made near its end may be missing from these figures.",
    );
    expect(r.logs.text()).toContain(
      "the weekly check is sent without a poll after its time: the audit log could not be read to its end in 15 minutes",
    );
  });

  it("is not sent while the first poll reads the history, and is once it is read", async () => {
    const r = await attestationRig();
    const state = { orgId: "org-1", cursor: null, lastProcessedAt: null, backfillFrom: null };
    r.stores.pollStates.save({ ...state, backfillUntil: MONDAY, backfillDone: false }, MONDAY);
    let readThrough: number | null = null;
    const check = r.weekly({ readThrough: () => readThrough });
    expect(await check.run()).toBe(0);
    r.clock.advance(30 * MINUTE); // past the longest wait: the history is still not read
    expect(await check.run()).toBe(0);
    expect(r.logs.text()).toContain("the weekly check waits for the history to be read");
    r.calls(18, { ...BOBS, time: MONDAY - 120 * MINUTE });
    r.stores.pollStates.save(
      { ...state, backfillUntil: MONDAY, backfillDone: true },
      r.clock.now(),
    );
    readThrough = r.clock.now();
    expect(await check.run()).toBe(2);
    await r.settled();
    await r.poster.drain();
    expect(r.dm(BOB)).toHaveLength(1);
  });
});
