/**
 * A weekly check the outbox gave up at its deadline although Slack had posted it (an
 * `internal_error` that did post, then a day of failed look-ups): where it is, unknown. Alice
 * answers it from the very message she got, even one an earlier release posted (its buttons name
 * the check by the bare id) before the upgrade; such a message never answers a check made after
 * a restore, even one given up too, and even when the earlier release still ran then.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { backupNow } from "../../helpers/restore.js";
import { upgradedAt } from "../../helpers/stamping.js";
import { ALICE, attestationRig, buttonValue, idIn } from "./attestation-rig.js";

type Rig = Awaited<ReturnType<typeof attestationRig>>;

/** Runs the week's check with Alice's message posted by Slack but given up; the message. */
async function givenUp(r: Rig) {
  const dm = r.slack.dmChannel(ALICE);
  r.slack.failNext(
    "chat.postMessage",
    { errorAfter: "internal_error" },
    1,
    (p) => p.channel === dm,
  );
  r.slack.failNext("conversations.history", { status: 503 }, 200);
  const before = r.dm(ALICE).length;
  await r.weekly().run();
  await r.poster.drain();
  r.clock.advance(25 * HOUR);
  await r.poster.drain();
  await r.settled();
  const sent = r.dm(ALICE)[before];
  const id = idIn(buttonValue(sent?.blocks));
  expect(r.stores.attestations.get(id)?.dmTs).toBeNull(); // given up: where it is, unknown
  return { at: { channel: dm, ts: sent?.ts ?? "" }, id, value: buttonValue(sent?.blocks) };
}

describe("a weekly check given up although Slack had posted it", () => {
  it.each([
    ["its id and time", (value: string) => value],
    ["the bare id of an earlier release", (value: string) => String(idIn(value))],
  ] as const)("takes Alice's answer from its own message (%s)", async (_, drawn) => {
    const r = await attestationRig();
    const { at, id, value } = await givenUp(r);
    upgradedAt(r.db, r.clock.now()); // to this release, after the check was posted

    await r.click("attest_ok", ALICE, drawn(value), at);
    await r.settled();
    expect(r.stores.attestations.get(id)?.answer).toBe("yes");
    const again = await r.click("attest_not_me", ALICE, drawn(value), at);
    expect(await again.reply()).toBe("You have answered this already (looks right).");
  });

  it("an earlier release's message never answers a check given its id after a restore", async () => {
    const r = await attestationRig();
    const backup = await backupNow(r.db);
    await r.weekly().run();
    await r.poster.drain();
    await r.settled();
    const [old] = r.dm(ALICE);
    const oldId = idIn(buttonValue(old?.blocks));

    await backup.restore();
    upgradedAt(r.db, r.clock.now()); // the restored database is started by this release
    r.clock.advance(HOUR);
    const other = await givenUp(r);
    expect(other.id).toBe(oldId); // the id is used again, for Alice's check of the same week

    const click = await r.click("attest_not_me", ALICE, String(oldId), {
      channel: other.at.channel,
      ts: old?.ts ?? "",
    });
    expect(await click.reply()).toBe("That check is not known here any more.");
    await r.settled();
    expect(r.stores.attestations.get(other.id)?.answer).toBeNull();
    expect(r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me")).toEqual([]);
  });

  it("an earlier release's message never answers a check given its id after a restore made before the upgrade", async () => {
    const r = await attestationRig();
    const backup = await backupNow(r.db);
    await r.weekly().run();
    await r.poster.drain();
    await r.settled();
    const [old] = r.dm(ALICE);
    const oldId = idIn(buttonValue(old?.blocks));

    // Restored, and run again, by the earlier release; this release comes after.
    await backup.restore();
    r.clock.advance(HOUR);
    const other = await givenUp(r);
    expect(other.id).toBe(oldId);
    upgradedAt(r.db, r.clock.now()); // both checks made before the upgrade

    const click = await r.click("attest_not_me", ALICE, String(oldId), {
      channel: other.at.channel,
      ts: old?.ts ?? "",
    });
    expect(await click.reply()).toBe("That check is not known here any more.");
    await r.settled();
    expect(r.stores.attestations.get(other.id)?.answer).toBeNull();
    expect(r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me")).toEqual([]);
  });
});
