/**
 * After a restore from a backup, the weekly checks are sent again and may take other ids: with
 * several organizations, whose checks run side by side, the id of Alice's check of org-1 in an
 * old message can be given to her check of org-2, of the same week. The old message's button
 * never answers the other organization's check, whether it names the check by its id and when it
 * was recorded or, drawn by an earlier release, by the bare id.
 */
import { describe, expect, it } from "vitest";
import { backupNow } from "../../helpers/restore.js";
import { ALICE, attestationRig, buttonValue, idIn } from "./attestation-rig.js";

/** The drawn value as is, and as an earlier release drew it (the bare id). */
const VALUES = [
  ["its id and time", (drawn: string) => drawn],
  ["the bare id of an earlier release", (drawn: string) => String(idIn(drawn))],
] as const;

describe("a weekly check's buttons after a restore, with several organizations", () => {
  it.each(VALUES)(
    "an old message of org-1's check (%s) never answers org-2's check given its id",
    async (_, drawn) => {
      const r = await attestationRig("UTC", ["org-1", "org-2"]);
      r.calls(26, { orgId: "org-2" }); // Alice's week in org-2 too
      const weekly = (orgId: string) => r.weekly({ orgId });
      const dm = () => r.dm(ALICE);

      // The nightly backup; then org-1's check goes out first.
      const backup = await backupNow(r.db);
      await weekly("org-1").run();
      await r.poster.drain();
      await r.settled();
      await r.poster.drain();
      const [old] = dm();
      const oldValue = drawn(buttonValue(old?.blocks));
      const oldId = idIn(oldValue);
      expect(r.stores.attestations.get(oldId)?.orgId).toBe("org-1");

      // The disk is lost, the backup restored; the checks go out again, org-2's first this time.
      await backup.restore();
      r.clock.advance(60 * 60_000); // the restore took its time
      await weekly("org-2").run();
      await weekly("org-1").run();
      await r.poster.drain();
      const other = r.stores.attestations.get(oldId);
      expect(other?.orgId).toBe("org-2"); // the id is used again, for the same week
      expect(other?.slackUser).toBe(ALICE);

      // Alice answers the first message she got: org-1's week.
      const click = await r.click("attest_not_me", ALICE, oldValue, {
        channel: r.slack.dmChannel(ALICE),
        ts: old?.ts ?? "",
      });
      await r.settled();
      await r.poster.drain();
      // org-2's check, which she has not answered, is not answered by it; no alert about org-2.
      expect(r.alerts.list("org-2").filter((a) => a.ruleId === "mcp-not-me")).toEqual([]);
      expect(r.stores.attestations.get(oldId)?.answer).toBeNull();
      expect(await click.reply()).toBe("That check is not known here any more.");
    },
  );

  it("an earlier release's button (a bare id) answers the check the backup holds, in its own message only", async () => {
    const r = await attestationRig();
    await r.weekly().run();
    await r.poster.drain();
    await r.settled();
    await r.poster.drain();
    const [sent] = r.dm(ALICE);
    const id = idIn(buttonValue(sent?.blocks));
    const backup = await backupNow(r.db);
    await backup.restore();

    const channel = r.slack.dmChannel(ALICE);
    const elsewhere = await r.click("attest_ok", ALICE, String(id), { channel, ts: "1.999999" });
    expect(await elsewhere.reply()).toBe("That check is not known here any more.");
    await r.click("attest_ok", ALICE, String(id), { channel, ts: sent?.ts ?? "" });
    await r.settled();
    expect(r.stores.attestations.get(id)?.answer).toBe("yes");
  });
});
