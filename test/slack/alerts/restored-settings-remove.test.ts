/**
 * `/mcp-activity settings` lists the suppressions responders added, each with a Remove button
 * naming the alert it came from. After a restore from a backup, that alert's id can be another
 * alert's: the old list's Remove must not remove the suppression of another rule and person.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { suppressionBlocks } from "../../../src/slack/blocks/suppressions.js";
import { backupDatabase } from "../../../src/store/backup.js";
import { actionBody, postSigned } from "../../helpers/slack-sign.js";
import { tempDir } from "../../helpers/tmp.js";
import { boltApp, SECRET } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";

describe("the settings list's Remove after a restore from a backup", () => {
  it("never removes the suppression of another alert given the same id", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    r.slack.addUser({ id: RESPONDER });
    const { url } = await boltApp(r, (bolt, people) =>
      registerAlertActions(bolt, r.actionDeps({ responders: people })),
    );
    const backup = join(tempDir(), "nightly.db");
    await backupDatabase(r.db, backup);
    // After the backup: Person 1's alert, suppressed; a responder lists the suppressions.
    const first = r.raise({ title: "deleteJiraIssue by Person 1" });
    const one = r.alerts.get(first);
    r.stores.suppressions.add(
      "org-1",
      {
        ruleId: "mcp-destructive",
        userKey: one?.userId ?? "",
        reason: "their sync job",
        alertId: first,
      },
      RESPONDER,
      r.clock.now(),
    );
    const listed = suppressionBlocks(r.stores.suppressions.list("org-1"));
    type Accessory = { accessory?: { action_id?: string; value?: string } };
    const removeValue =
      (listed as Accessory[]).find((b) => b.accessory?.action_id === "alert_remove_suppression")
        ?.accessory?.value ?? "";
    expect(removeValue).not.toBe("");

    // Restore; a new alert about Person 2 takes the id, and is suppressed too.
    const copy = new Database(backup, { readonly: true });
    await copy.backup(r.db.name);
    copy.close();
    r.clock.advance(60 * 60_000);
    const other = r.raise({ title: "deleteJiraIssue by Person 2", createdAt: r.clock.now() });
    expect(other).toBe(first);
    const two = r.alerts.get(other);
    r.stores.suppressions.add(
      "org-1",
      {
        ruleId: "mcp-destructive",
        userKey: two?.userId ?? "",
        reason: "a known bot",
        alertId: other,
      },
      RESPONDER,
      r.clock.now(),
    );

    // The responder presses Remove in the list they still see (Person 1's suppression).
    const click = actionBody({
      type: "block_actions",
      team: { id: "T0FAKE", domain: "fake" },
      user: { id: RESPONDER, username: RESPONDER, team_id: "T0FAKE" },
      api_app_id: "A0APP",
      token: "legacy-verification-token",
      trigger_id: "trigger-1",
      container: { type: "message", message_ts: "1.0", channel_id: CHANNEL, is_ephemeral: true },
      channel: { id: CHANNEL, name: "security" },
      response_url: r.slack.responseUrl("click-1"),
      actions: [
        {
          type: "button",
          action_id: "alert_remove_suppression",
          block_id: "b",
          value: removeValue,
          action_ts: "1",
        },
      ],
    });
    expect((await postSigned(url, click, SECRET)).status).toBe(200);
    await r.slack.waitFor(() => r.slack.responses.length > 0, 5000, "the click answered");
    await r.settled();
    // Person 2's suppression, never shown in that list, is still there.
    expect(r.stores.suppressions.list("org-1").map((s) => s.reason)).toEqual(["a known bot"]);
  });
});
