/**
 * After a restore from a backup, a new alert takes the id of one whose person was asked after the
 * backup, and its person is asked again in a message of its own. A button of the old question
 * never answers the new one, whether it names the alert by its id and when it was raised or,
 * drawn by an earlier release, by the bare id; a bare id answers only in its question's message,
 * or in the question's direct message when its sending was given up, its alert was raised before
 * the upgrade and the message posted after it was (never a question about an alert raised after
 * the message, as one after a restore is, even when the earlier release still ran then).
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { backupNow } from "../../helpers/restore.js";
import { upgradedAt } from "../../helpers/stamping.js";
import { buttonValue } from "../../organizations/rig.js";
import { ALICE, askRig, firstUse } from "./ask-rig.js";

const alice = firstUse("p1@example.com", 1);

/** The value of a question's "no": as drawn now (id and time), as an earlier release drew it. */
const VALUES = [
  ["its id and time", (_: number, drawn: string) => drawn],
  ["the bare id of an earlier release", (id: number) => String(id)],
] as const;

describe("a question's buttons after a restore from a backup", () => {
  it.each(VALUES)(
    "an old question's No (%s) never answers the question about another alert given its id",
    async (_, value) => {
      const a = await askRig();
      const backup = await backupNow(a.db);
      const first = await a.postAlert(alice);
      const [old] = a.dm();
      const drawn = (old && buttonValue(old, "ask_no")) ?? "";
      const oldValue = value(first.id, drawn);

      await backup.restore();
      a.clock.advance(60 * 60_000);
      // Alice's first use again (the backup never saw it): another alert, and question, about her.
      const other = await a.postAlert({ ...alice, createdAt: a.clock.now() });
      expect(other.id).toBe(first.id); // the id is used again
      expect(a.dm()).toHaveLength(2); // asked again, in a message of its own

      const click = await a.click("ask_no", ALICE, oldValue, {
        channel: a.slack.dmChannel(ALICE),
        ts: old?.ts ?? "",
      });
      expect(await click.reply()).toBe("That question is not known here any more.");
      await a.settled();
      expect(a.alerts.get(other.id)).toMatchObject({ status: "open", severity: "medium" });
      expect(a.store.get("org-1", other.id)?.answer).toBeNull();
    },
  );

  it("an earlier release's No (a bare id) answers the question the backup holds, in its own message only", async () => {
    const a = await askRig();
    const { id } = await a.postAlert(alice);
    const [question] = a.dm();
    const backup = await backupNow(a.db);
    await backup.restore();

    const channel = a.slack.dmChannel(ALICE);
    const elsewhere = await a.click("ask_no", ALICE, String(id), { channel, ts: "1.999999" });
    expect(await elsewhere.reply()).toBe("That question is not known here any more.");
    expect(a.store.get("org-1", id)?.answer).toBeNull();

    await a.click("ask_no", ALICE, String(id), { channel, ts: question?.ts ?? "" });
    await a.slack.waitFor(() => a.store.get("org-1", id)?.answer === "no", 5000, "the answer");
    expect(a.alerts.get(id)?.severity).toBe("high");
  });

  it("an earlier release's No (a bare id) never answers a question asked after the restore, given up too", async () => {
    const a = await askRig();
    const backup = await backupNow(a.db);
    const first = await a.postAlert(alice);
    const [old] = a.dm();

    await backup.restore();
    upgradedAt(a.db, a.clock.now()); // the restored database is started by this release
    a.clock.advance(HOUR);
    // Alice's first use again, another alert given the id; Slack posts its question and fails,
    // and the look-ups meet an outage until the question's day is over: it is given up.
    const dm = a.slack.dmChannel(ALICE);
    a.slack.failNext(
      "chat.postMessage",
      { errorAfter: "internal_error" },
      1,
      (p) => p.channel === dm,
    );
    a.slack.failNext("conversations.history", { status: 503 }, 50);
    const other = await a.postAlert({ ...alice, createdAt: a.clock.now() });
    expect(other.id).toBe(first.id);
    a.clock.advance(25 * HOUR);
    await a.pass();
    await a.slack.waitFor(
      () => a.store.get("org-1", other.id)?.askState === "not-asked",
      5000,
      "the question given up",
    );
    expect(a.store.get("org-1", other.id)?.askedUser).toBe(ALICE);
    expect(a.dm()).toHaveLength(2); // in Alice's Slack all the same, with its buttons

    // In the same direct message, by the same person: the old question's No.
    const click = await a.click("ask_no", ALICE, String(first.id), {
      channel: dm,
      ts: old?.ts ?? "",
    });
    expect(await click.reply()).toBe("That question is not known here any more.");
    await a.settled();
    expect(a.store.get("org-1", other.id)?.answer).toBeNull();
    expect(a.alerts.get(other.id)).toMatchObject({ status: "open", severity: "medium" });
  });

  it("an earlier release's No (a bare id) never answers a given-up question about an alert raised after it, the restore made before the upgrade", async () => {
    const a = await askRig();
    const backup = await backupNow(a.db);
    const first = await a.postAlert(alice);
    const [old] = a.dm();

    // Restored, and run again, by the earlier release; this release comes after.
    await backup.restore();
    a.clock.advance(HOUR);
    const dm = a.slack.dmChannel(ALICE);
    a.slack.failNext(
      "chat.postMessage",
      { errorAfter: "internal_error" },
      1,
      (p) => p.channel === dm,
    );
    a.slack.failNext("conversations.history", { status: 503 }, 50);
    const other = await a.postAlert({ ...alice, createdAt: a.clock.now() });
    expect(other.id).toBe(first.id);
    a.clock.advance(25 * HOUR);
    await a.pass();
    await a.slack.waitFor(
      () => a.store.get("org-1", other.id)?.askState === "not-asked",
      5000,
      "the question given up",
    );
    upgradedAt(a.db, a.clock.now()); // both alerts raised before the upgrade

    // In the same direct message, by the same person: the old question's No.
    const click = await a.click("ask_no", ALICE, String(first.id), {
      channel: dm,
      ts: old?.ts ?? "",
    });
    expect(await click.reply()).toBe("That question is not known here any more.");
    await a.settled();
    expect(a.store.get("org-1", other.id)?.answer).toBeNull();
    expect(a.alerts.get(other.id)).toMatchObject({ status: "open", severity: "medium" });
  });
});
