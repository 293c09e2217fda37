/**
 * An alert whose message cannot be drawn in full (a time in its events no date can hold) is still
 * posted, plainly, and never holds back the alerts after it. Real rig: HTTP to the fake Slack on
 * 127.0.0.1, a real SQLite file.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../src/domain/alert.js";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { denyActivity } from "../../../src/slack/people/not-me.js";
import { T0 } from "../../detect/fixtures.js";
import { actionBody, postSigned } from "../../helpers/slack-sign.js";
import { boltApp, SECRET } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

/** Past what a Date holds (8.64e15 ms): `toISOString` throws. */
const NO_DATE = 8_700_000_000_000_000;
const RESPONDER = "URESP";

describe("an alert that cannot be drawn in full", () => {
  it("is posted with its title and buttons, and the next alert after it as usual", async () => {
    const r = await slackRig();
    const broken = r.raise(
      { firstSeen: NO_DATE, lastSeen: NO_DATE, title: "deleteJiraIssue by <!channel> Mallory" },
      { time: NO_DATE },
    );
    const next = r.raise({ title: "deleteJiraIssue by Bob" });
    await r.poster.drain();
    await r.slack.idle();

    const posted = r.slack.messages(CHANNEL);
    expect(posted.map((m) => m.text)).toEqual([
      `[HIGH] alert ${broken}: deleteJiraIssue by &lt;!channel&gt; Mallory — p1@example.com`,
      expect.stringContaining(`[HIGH] alert ${next}: deleteJiraIssue by Bob`),
    ]);
    const plain = JSON.stringify(posted[0]?.blocks);
    expect(plain).toContain(`Alert ${broken}: its details could not be shown`);
    expect(plain).toContain(`"action_id":"alert_acknowledge"`);
    expect(r.stores.outbox.byRef(`alert:org-1:${broken}`, "alert")?.state).toBe("delivered");
    expect(r.logs.text()).toContain(
      `alert ${broken} could not be drawn in full (Invalid time value)`,
    );
  });
});

describe("an alert posted plainly, afterwards", () => {
  it("grows without holding back every alert after it", async () => {
    const r = await slackRig();
    const broken = r.raise(
      { firstSeen: NO_DATE, lastSeen: NO_DATE, title: "deleteJiraIssue by Mallory" },
      { time: NO_DATE },
    );
    await r.poster.drain();
    await r.slack.idle();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1); // posted plainly, as promised
    // Mallory's next call joins the alert (its growth reply cannot be made either); then Bob's.
    const seq = r.stores.events.maxSeq("org-1");
    r.stores.alerts.grow(
      { id: broken, orgId: "org-1" },
      { seq, time: T0, late: false, tools: ["deleteJiraIssue"], severity: "high", notify: true },
      T0,
    );
    r.clock.advance(60_000);
    const next = r.raise({ title: "deleteJiraIssue by Bob" });
    // Its growth reply fails at each pass: set aside after the third, said once.
    for (let pass = 0; pass < 4; pass++) {
      await r.poster.drain().catch(() => undefined);
      await r.slack.idle();
      r.clock.advance(60_000);
    }
    expect(r.slack.messages(CHANNEL).map((m) => m.text)).toContainEqual(
      expect.stringContaining(`[HIGH] alert ${next}: deleteJiraIssue by Bob`),
    );
    expect(
      r.logs.text().match(new RegExp(`alert ${broken}: its message could not be made`, "g")),
    ).toHaveLength(1);
  });

  it("met by the database's trouble (out of memory), is posted once it has passed, never set aside", async () => {
    const r = await slackRig();
    const deliveries = r.stores.deliveries;
    const real = deliveries.postedSince.bind(deliveries);
    let failures = 3;
    deliveries.postedSince = (...args: Parameters<typeof real>) => {
      if (failures-- > 0) throw new Database.SqliteError("out of memory", "SQLITE_NOMEM");
      return real(...args);
    };
    r.raise({ title: "deleteJiraIssue by Mallory" });
    for (let pass = 0; pass < 5; pass++) {
      await r.poster.drain().catch(() => undefined);
      await r.slack.idle();
      r.clock.advance(60_000);
    }
    expect(r.slack.messages(CHANNEL).map((m) => m.text)).toEqual([
      expect.stringContaining("deleteJiraIssue by Mallory"),
    ]);
  });

  it("is acknowledged by its Acknowledge button", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    r.slack.addUser({ id: RESPONDER });
    const { url } = await boltApp(r, (bolt, people) =>
      registerAlertActions(bolt, r.actionDeps({ responders: people })),
    );
    const id = r.raise(
      { firstSeen: NO_DATE, lastSeen: NO_DATE, title: "deleteJiraIssue by Mallory" },
      { time: NO_DATE },
    );
    await r.poster.drain();
    const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
    expect(JSON.stringify(r.slack.messages(CHANNEL)[0]?.blocks)).toContain("alert_acknowledge");
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
          block_id: `alert_actions_${id}`,
          value: String(id),
          action_ts: "1",
        },
      ],
    });
    expect((await postSigned(url, click, SECRET)).status).toBe(200);
    await r.slack.waitFor(
      () => r.slack.responses.length > 0 || r.slack.callsTo("chat.update").length > 0,
      5000,
      "an answer to the click",
    );
    await r.settled();
    expect({
      status: r.alerts.get(id)?.status,
      answer: r.slack.responses.map((x) => x.body.text),
    }).toMatchObject({ status: "acknowledged" });
  });
});

describe("a 'not me' while another alert's growth reply cannot be made", () => {
  it("is recorded, and its alert raised", async () => {
    const r = await slackRig();
    const broken = r.raise(
      { firstSeen: NO_DATE, lastSeen: NO_DATE, title: "deleteJiraIssue by Mallory" },
      { time: NO_DATE },
    );
    await r.poster.drain();
    await r.slack.idle();
    // Mallory's next call joins the alert: its growth reply cannot be made.
    const seq = r.stores.events.maxSeq("org-1");
    r.stores.alerts.grow(
      { id: broken, orgId: "org-1" },
      { seq, time: T0, late: false, tools: ["deleteJiraIssue"], severity: "high", notify: true },
      T0,
    );
    // Carol's own call, a minute ago; she opens App Home and says the day was not her.
    r.raise(
      { userId: "acc-carol", title: "getJiraIssue by Carol" },
      { userId: "acc-carol", userName: "Carol", userEmail: "carol@example.com", time: T0 },
    );
    const deps = {
      triage: {
        stores: r.stores,
        settings: { expectedOnYes: [] },
        render: r.render,
        mention: () => "<!here>",
        reminderAfter: () => null,
        postAlone: (alert: Alert, now: number) => r.alertOutbox.postAlone(alert, now),
      },
      home: r.stores.home,
      produce: () => {
        r.alertOutbox.produce();
      },
      logger: r.logs.logger,
    };
    const denied = denyActivity(
      deps,
      {
        orgId: "org-1",
        accountIds: ["acc-carol"],
        email: "carol@example.com",
        since: T0 - 60 * 60_000,
        until: T0 + 60 * 60_000,
        period: "on 2026-11-04",
        zone: "UTC, their time",
        key: "day:2026-11-04",
        source: "App Home",
      },
      "UCAROL",
      r.clock.now(),
    );
    expect(denied).toMatchObject({ alertId: expect.any(Number) });
  });
});
