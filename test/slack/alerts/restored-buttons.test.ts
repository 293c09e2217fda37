/**
 * After a restore from a backup, new alerts take the ids of alerts posted after the backup: a
 * button of such a message names its alert (its id and when it was raised), and never acts on
 * the other alert given the same id.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { backupDatabase } from "../../../src/store/backup.js";
import { actionBody, postSigned } from "../../helpers/slack-sign.js";
import { tempDir } from "../../helpers/tmp.js";
import { boltApp, SECRET } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";

describe("alert buttons after a restore from a backup", () => {
  it("a button of a message posted after the backup never acts on another alert given its id", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    r.slack.addUser({ id: RESPONDER });
    const { url } = await boltApp(r, (bolt, people) =>
      registerAlertActions(bolt, r.actionDeps({ responders: people })),
    );
    // The nightly backup, then an alert raised and posted with its buttons.
    const backup = join(tempDir(), "nightly.db");
    await backupDatabase(r.db, backup);
    const posted = r.raise({ title: "deleteJiraIssue by Person 1" });
    await r.poster.drain();
    const [message] = r.slack.messages(CHANNEL);
    const ts = message?.ts ?? "";
    expect(ts).not.toBe("");
    type Element = { action_id?: string; value?: string };
    const ackValue =
      (message?.blocks ?? [])
        .flatMap((b) => (b as { elements?: Element[] }).elements ?? [])
        .find((e) => e.action_id === "alert_acknowledge")?.value ?? "";
    expect(ackValue).toMatch(new RegExp(`^${posted}\\.\\d+$`));

    // The disk is lost: the backup is restored (SQLite's backup onto the database file), and the
    // bot raises another alert, about someone else, which takes the same id.
    const copy = new Database(backup, { readonly: true });
    await copy.backup(r.db.name);
    copy.close();
    r.clock.advance(60 * 60_000); // the restore took its time
    const other = r.raise({ title: "deleteJiraIssue by Person 2", createdAt: r.clock.now() });
    expect(other).toBe(posted); // the id is used again

    // A responder acknowledges the alert they see in the channel: Person 1's message.
    const click = actionBody({
      type: "block_actions",
      team: { id: "T0FAKE", domain: "fake" },
      user: { id: RESPONDER, username: RESPONDER, team_id: "T0FAKE" },
      api_app_id: "A0APP",
      token: "legacy-verification-token",
      trigger_id: "trigger-1",
      container: { type: "message", message_ts: ts, channel_id: CHANNEL },
      channel: { id: CHANNEL, name: "security" },
      message: { ts, type: "message", text: "alert" },
      response_url: r.slack.responseUrl("click-1"),
      actions: [
        {
          type: "button",
          action_id: "alert_acknowledge",
          block_id: `alert_actions_${posted}`,
          // The value the message's Acknowledge button carries.
          value: ackValue,
          action_ts: "1",
        },
      ],
    });
    expect((await postSigned(url, click, SECRET)).status).toBe(200);
    await r.slack.waitFor(
      () => r.slack.responses.length > 0 || r.alerts.get(other)?.status !== "open",
      5000,
      "the click handled",
    );
    // Person 2's alert, never shown in that message, must not be acknowledged by it.
    expect(r.alerts.get(other)?.title).toBe("deleteJiraIssue by Person 2");
    expect(r.alerts.get(other)?.status).toBe("open");
    expect(r.slack.responses.at(-1)?.body.text).toBe("That alert is not known here any more.");
  });
});
