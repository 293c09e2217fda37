/**
 * The weekly check run by a clock two days ahead (Saturday shown as Monday 10:00:30), which NTP
 * then steps back: the week had not ended, so it is asked about again when it really ends.
 */
import { describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../../src/time-units.js";
import { ALICE, attestationRig, buttonValue, MONDAY } from "./attestation-rig.js";

/** The rig, its check run on Saturday by a clock that says Monday, then the clock set right. */
async function checkedAhead(o: { slackDown?: boolean } = {}) {
  const r = await attestationRig();
  if (o.slackDown) r.slack.failNext("chat.postMessage", { status: 503 });
  // The bot's one clock, at Monday 10:00:30.
  const { clock } = r;
  expect(await r.weekly().run()).toBe(1);
  await r.settled();
  // NTP steps the clock back two days, to Saturday 10:00:30; the check's loop ticks.
  clock.advance(-2 * DAY);
  const step = () => r.weekly().run();
  // Over the weekend Alice's AI tool makes 30 more calls; Monday 10:00:35 really comes.
  const weekend = async () => {
    r.calls(30, { time: MONDAY - DAY });
    clock.advance(2 * DAY + 5_000);
    return r.weekly().run();
  };
  return { r, step, weekend };
}

describe("the weekly check made by a clock that was ahead", () => {
  it("asks again over the whole week when it really ends; the early message's buttons are refused", async () => {
    const { r, step, weekend } = await checkedAhead();
    await r.poster.drain();
    const [early] = r.dm(ALICE);
    expect(early?.text).toContain("26 calls");
    expect(await step()).toBe(0);
    expect(await weekend()).toBe(1);
    await r.settled();
    await r.poster.drain();
    const texts = r.dm(ALICE).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain("56 calls");
    // The early check is not known any more; the new one is answered.
    const where = { channel: r.slack.dmChannel(ALICE), ts: early?.ts ?? "" };
    const old = await r.click("attest_ok", ALICE, buttonValue(early?.blocks), where);
    expect(await old.reply()).toBe("That check is not known here any more.");
    expect(r.logs.text()).toContain(
      "the weekly check was made by a clock that was ahead (later than now): it is made again when its week ends, asking again the 1 person who had not answered",
    );
  });

  it("drops the early message still waiting, so the person gets only the week's", async () => {
    const { r, step, weekend } = await checkedAhead({ slackDown: true });
    expect(r.dm(ALICE)).toHaveLength(0); // to be tried again
    expect(await step()).toBe(0);
    expect(await weekend()).toBe(1);
    await r.settled();
    r.clock.advance(HOUR); // past the retry Slack's failure set
    await r.poster.drain();
    const texts = r.dm(ALICE).map((m) => m.text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("56 calls");
  });

  it("keeps an early check already answered, and does not ask its person again", async () => {
    const { r, step, weekend } = await checkedAhead();
    await r.poster.drain();
    const [early] = r.dm(ALICE);
    const where = { channel: r.slack.dmChannel(ALICE), ts: early?.ts ?? "" };
    await r.click("attest_ok", ALICE, buttonValue(early?.blocks), where);
    await r.slack.waitFor(() => r.dm(ALICE)[0]?.text.includes("You answered") ?? false);
    expect(await step()).toBe(0);
    expect(await weekend()).toBe(0);
    await r.poster.drain();
    expect(r.dm(ALICE)).toHaveLength(1);
  });
});

describe("the weekly check made by a clock that was ahead, after its week really ended", () => {
  it("stands once NTP steps the clock back: nobody is asked twice, and the buttons still answer", async () => {
    const r = await attestationRig();
    // Really Monday 10:00:30 (the week ended at 10:00); the host's clock says 11:00:30.
    r.clock.advance(HOUR);
    expect(await r.weekly().run()).toBe(1);
    await r.settled();
    await r.poster.drain();
    const [first] = r.dm(ALICE);
    expect(first?.text).toContain("26 calls");
    // NTP steps the clock back an hour, a minute later: 10:01:30, right; the check's loop ticks.
    r.clock.advance(-HOUR + 60_000);
    expect(await r.weekly().run()).toBe(0);
    await r.settled();
    await r.poster.drain();
    expect(r.dm(ALICE)).toHaveLength(1);
    expect(r.logs.text()).not.toContain("made by a clock that was ahead");
    // Alice answers the message she got: her answer is taken.
    const where = { channel: r.slack.dmChannel(ALICE), ts: first?.ts ?? "" };
    await r.click("attest_ok", ALICE, buttonValue(first?.blocks), where);
    await r.slack.waitFor(() => r.dm(ALICE)[0]?.text.includes("You answered") ?? false);
  });
});
