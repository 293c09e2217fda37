/**
 * After a restore from a backup, new alerts take the ids of alerts posted after the backup: a
 * button drawn for such an alert names it (its id and when it was raised), and never acts on the
 * other alert given the same id, from the alert's message or from the settings' suppressions list.
 * A button an earlier release drew names its alert by the bare id: it acts only in that alert's
 * own message, as the restored database has it; in another message its alert is not known, and
 * in none (an App Home, a settings list) it says it is from an earlier version.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { suppressionBlocks } from "../../../src/slack/blocks/suppressions.js";
import { backupNow } from "../../helpers/restore.js";
import { buttonValue } from "../../organizations/rig.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";
const EARLIER =
  "That button is from an earlier version of mcp-activity, so nothing was changed: use the one in the alert's message, or open the App Home again.";
type Element = { action_id?: string; value?: string };

/** The value an earlier release drew for the same button: the alert's bare id. */
const bare = (value: string): string => value.split(".")[0] ?? "";

/** The alert buttons through the real Bolt app; a backup taken now, and its restore later. */
async function restoreRig() {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  r.slack.addUser({ id: RESPONDER });
  const b = await boltApp(r, (bolt, people) =>
    registerAlertActions(bolt, r.actionDeps({ responders: people })),
  );
  const backup = await backupNow(r.db);
  /** The disk lost, the backup restored, an hour later. */
  const restore = async () => {
    await backup.restore();
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
    const ackValue = (message && buttonValue(message, "alert_acknowledge")) ?? "";
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

  it("an earlier release's button (a bare id) never acts on another alert given its id", async () => {
    const r = await restoreRig();
    // Posted after the backup, by the earlier release: its buttons carried the bare id.
    const posted = r.raise({ title: "deleteJiraIssue by Person 1" });
    await r.poster.drain();
    const [message] = r.slack.messages(CHANNEL);
    const oldValue = bare((message && buttonValue(message, "alert_acknowledge")) ?? "");
    expect(oldValue).toBe(String(posted));

    await r.restore();
    const other = r.raise({ title: "deleteJiraIssue by Person 2", createdAt: r.clock.now() });
    await r.poster.drain();
    expect(other).toBe(posted); // the id is used again, in a message of its own

    const where = { channel: CHANNEL, ts: message?.ts ?? "" };
    // Clicked in Person 1's own message, which the restored database no longer has.
    const click = await r.click("alert_acknowledge", RESPONDER, oldValue, where);
    expect(await click.reply()).toBe("That alert is not known here any more.");
    const snooze = await r.click("alert_snooze", RESPONDER, `${oldValue}:24`, where, true);
    expect(await snooze.reply()).toBe("That alert is not known here any more.");
    await r.settled();
    // Person 2's alert, which no one has seen yet, stays open, untouched.
    expect(r.alerts.get(other)?.status).toBe("open");
    expect(r.stores.trail.history("org-1", other)).toEqual([]);
  });

  it("an earlier release's button (a bare id) still acts in the message of an alert the backup holds", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    r.slack.addUser({ id: RESPONDER });
    const b = await boltApp(r, (bolt, people) =>
      registerAlertActions(bolt, r.actionDeps({ responders: people })),
    );
    const kept = r.raise({ title: "deleteJiraIssue by Person 1" });
    await r.poster.drain();
    const [message] = r.slack.messages(CHANNEL);
    const backup = await backupNow(r.db);
    await backup.restore();

    const where = { channel: CHANNEL, ts: message?.ts ?? "" };
    // Clicked in another message: one whose alert the database does not have.
    const elsewhere = await b.click("alert_acknowledge", RESPONDER, String(kept), {
      channel: CHANNEL,
      ts: "1.999999",
    });
    expect(await elsewhere.reply()).toBe("That alert is not known here any more.");
    expect(r.alerts.get(kept)?.status).toBe("open");
    // In an ephemeral reply (a settings list shown before the upgrade), no message at all.
    const listed = await b.click("alert_remove_suppression", RESPONDER, `${kept}:1`, {
      channel: CHANNEL,
      ts: "1.999998",
      ephemeral: true,
    });
    expect(await listed.reply()).toBe(EARLIER);
    // An id no alert has is not known, as ever.
    const unknown = await b.click("alert_acknowledge", RESPONDER, String(kept + 1), where);
    expect(await unknown.reply()).toBe("That alert is not known here any more.");

    await b.click("alert_acknowledge", RESPONDER, String(kept), where);
    await r.slack.waitFor(
      () => r.alerts.get(kept)?.status === "acknowledged",
      5000,
      "the alert the old message shows, acknowledged",
    );
  });
});
