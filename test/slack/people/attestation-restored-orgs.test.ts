/**
 * After a restore from a backup, the weekly checks are sent again and may take other ids: with
 * several organizations, whose checks run side by side, the id of Alice's check of org-1 in an
 * old message can be given to her check of org-2, of the same week. The old message's button
 * never answers the other organization's check.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { backupDatabase } from "../../../src/store/backup.js";
import { tempDir } from "../../helpers/tmp.js";
import { ALICE, attestationRig, buttonValue } from "./attestation-rig.js";

describe("a weekly check's buttons after a restore, with several organizations", () => {
  it("an old message of org-1's check never answers org-2's check given its id", async () => {
    const r = await attestationRig("UTC", ["org-1", "org-2"]);
    r.calls(26, { orgId: "org-2" }); // Alice's week in org-2 too
    const weekly = (orgId: string) => r.weekly({ orgId });
    const dm = () => r.dm(ALICE);

    // The nightly backup; then org-1's check goes out first.
    const backup = join(tempDir(), "nightly.db");
    await backupDatabase(r.db, backup);
    await weekly("org-1").run();
    await r.poster.drain();
    await r.settled();
    await r.poster.drain();
    const [old] = dm();
    const oldValue = buttonValue(old?.blocks);
    const oldId = Number(oldValue.split(".")[0]);
    expect(r.stores.attestations.get(oldId)?.orgId).toBe("org-1");

    // The disk is lost, the backup restored; the checks go out again, org-2's first this time.
    const copy = new Database(backup, { readonly: true });
    await copy.backup(r.db.name);
    copy.close();
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
  });
});
