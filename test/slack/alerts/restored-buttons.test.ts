/**
 * After a restore from a backup, new alerts take the ids of alerts posted after the backup: a
 * button drawn for such an alert names it (its id and when it was raised), and never acts on the
 * other alert given the same id, from the alert's message or from the settings' suppressions list.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { suppressionBlocks } from "../../../src/slack/blocks/suppressions.js";
import { backupDatabase } from "../../../src/store/backup.js";
import { tempDir } from "../../helpers/tmp.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";
type Element = { action_id?: string; value?: string };

/** The alert buttons through the real Bolt app; a backup taken now, and its restore later. */
async function restoreRig() {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  r.slack.addUser({ id: RESPONDER });
  const b = await boltApp(r, (bolt, people) =>
    registerAlertActions(bolt, r.actionDeps({ responders: people })),
  );
  const backup = join(tempDir(), "nightly.db");
  await backupDatabase(r.db, backup);
  /** The disk lost, the backup restored (SQLite's backup onto the file), an hour later. */
  const restore = async () => {
    const copy = new Database(backup, { readonly: true });
    await copy.backup(r.db.name);
    copy.close();
    r.clock.advance(60 * 60_000);
  };
  const suppress = (alertId: number, reason: string) =>
    r.stores.suppressions.add(
      "org-1",
      {
        ruleId: "mcp-destructive",
        userKey: r.alerts.get(alertId)?.userId ?? "",
        reason,
        alertId,
      },
      RESPONDER,
      r.clock.now(),
    );
  return { ...r, ...b, restore, suppress };
}

describe("buttons after a restore from a backup", () => {
  it("a button of a message posted after the backup never acts on another alert given its id", async () => {
    const r = await restoreRig();
    const posted = r.raise({ title: "deleteJiraIssue by Person 1" });
    await r.poster.drain();
    const [message] = r.slack.messages(CHANNEL);
    const ackValue =
      (message?.blocks ?? [])
        .flatMap((b) => (b as { elements?: Element[] }).elements ?? [])
        .find((e) => e.action_id === "alert_acknowledge")?.value ?? "";
    expect(ackValue).toMatch(new RegExp(`^${posted}\\.\\d+$`));

    await r.restore();
    const other = r.raise({ title: "deleteJiraIssue by Person 2", createdAt: r.clock.now() });
    expect(other).toBe(posted); // the id is used again

    // A responder acknowledges the alert they see in the channel: Person 1's message.
    const click = await r.click("alert_acknowledge", RESPONDER, ackValue, {
      channel: CHANNEL,
      ts: message?.ts ?? "",
    });
    expect(await click.reply()).toBe("That alert is not known here any more.");
    expect(r.alerts.get(other)?.status).toBe("open");
  });

  it("the settings list's Remove never removes the suppression of another alert given its id", async () => {
    const r = await restoreRig();
    const first = r.raise({ title: "deleteJiraIssue by Person 1" });
    r.suppress(first, "their sync job");
    type Accessory = { accessory?: Element };
    const removeValue =
      (suppressionBlocks(r.stores.suppressions.list("org-1")) as Accessory[]).find(
        (b) => b.accessory?.action_id === "alert_remove_suppression",
      )?.accessory?.value ?? "";
    expect(removeValue).toMatch(new RegExp(`^${first}\\.\\d+:\\d+$`));

    await r.restore();
    const other = r.raise({ title: "deleteJiraIssue by Person 2", createdAt: r.clock.now() });
    expect(other).toBe(first);
    r.suppress(other, "a known bot");

    // The responder presses Remove in the list they still see (Person 1's suppression).
    const click = await r.click("alert_remove_suppression", RESPONDER, removeValue);
    expect(await click.reply()).toBe("That alert is not known here any more.");
    await r.settled();
    expect(r.stores.suppressions.list("org-1").map((s) => s.reason)).toEqual(["a known bot"]);
  });
});
