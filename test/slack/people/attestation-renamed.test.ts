/**
 * The weekly check names a person renamed within the week by the name of their newest call of
 * the week (the name they have now), not the alphabetically last. The outbox, the real Bolt app,
 * the fake Slack and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { DAY } from "../../../src/time-units.js";
import { attestationRig, MONDAY } from "./attestation-rig.js";

describe("the weekly check and a person renamed within the week", () => {
  it("names them by the name of their newest call", async () => {
    const r = await attestationRig();
    // The rig's 26 calls of Alice Example, three days before; then she took her partner's name.
    r.calls(2, { userName: "Alice Bauer", time: MONDAY - DAY });
    expect(await r.weekly().run()).toBe(1);
    expect(r.stores.attestations.get(1)).toMatchObject({ name: "Alice Bauer", calls: 28 });
  });
});
