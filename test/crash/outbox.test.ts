import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { buildDigest } from "../../src/digest/build.js";
import type { NewAlert } from "../../src/domain/alert.js";
import { Secret } from "../../src/secret.js";
import { AlertOutbox } from "../../src/slack/alerts/alert-outbox.js";
import { queueAlertReply, queueAlertUpdate } from "../../src/slack/alerts/alert-thread.js";
import { alertRenderer } from "../../src/slack/alerts/render.js";
import { createWebClient } from "../../src/slack/client.js";
import { createPoster } from "../../src/slack/delivery.js";
import { queueDigest } from "../../src/slack/digest-outbox.js";
import { SlackDirectory } from "../../src/slack/directory.js";
import { KeyExpiryNotices } from "../../src/slack/key-expiry.js";
import { SlackPauses } from "../../src/slack/outbox/pauses.js";
import { FollowUps } from "../../src/slack/people/followups.js";
import { Responders } from "../../src/slack/responders.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { digestData } from "../digest/fixtures.js";
import type { FakeMessage, FakeSlack } from "../fakes/slack-api.js";
import type { Params } from "../fakes/slack-http.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { runCli } from "../helpers/cli.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";
import { CHANNEL, fakeSlack, startChild, waiting } from "./outbox-children.js";

const PERSON = "UPERSON";

const meta = (p: Params) =>
  (p.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined) ??
  {};

/** Each kind: the call whose answer Slack holds back, and how many times its message shows. */
const KINDS: Record<
  string,
  {
    method: string;
    when: (p: Params) => boolean;
    shown: (all: FakeMessage[], dm: FakeMessage[]) => number;
  }
> = {
  alert: {
    method: "chat.postMessage",
    when: (p) => meta(p).event_type === "mcp_alert",
    shown: (all) => all.filter((m) => m.metadata?.event_type === "mcp_alert").length - 2,
  },
  summary: {
    method: "chat.postMessage",
    when: (p) => meta(p).event_type === "mcp_alert_summary",
    shown: (all) => all.filter((m) => m.metadata?.event_type === "mcp_alert_summary").length,
  },
  "alert-update": {
    method: "chat.update",
    when: (p) => p.channel === CHANNEL,
    shown: (all) =>
      all.filter((m) => JSON.stringify(m.blocks ?? []).includes("Acknowledged by")).length,
  },
  "alert-reply": {
    method: "chat.postMessage",
    when: (p) => p.text === "a reply",
    shown: (all) => all.filter((m) => m.text === "a reply").length,
  },
  ask: {
    method: "chat.postMessage",
    when: (p) => String(p.text).startsWith("Did you do this?"),
    shown: (_all, dm) => dm.filter((m) => m.text.startsWith("Did you do this?")).length, // the first was answered
  },
  "ask-update": {
    method: "chat.update",
    when: (p) => String(p.channel).startsWith("D"),
    shown: (_all, dm) => dm.filter((m) => m.text === "You answered yes").length,
  },
  reminder: {
    method: "chat.postMessage",
    when: (p) => String(p.text).startsWith("⏰"),
    shown: (all) => all.filter((m) => m.text.startsWith("⏰")).length,
  },
  notice: {
    method: "chat.postMessage",
    when: (p) => String(p.text).includes("API key expires"),
    shown: (all) => all.filter((m) => m.text.includes("API key expires")).length,
  },
  digest: {
    method: "chat.postMessage",
    when: (p) => meta(p).event_type === "mcp_digest",
    shown: (all) => all.filter((m) => m.metadata?.event_type === "mcp_digest").length,
  },
  "digest-reply": {
    method: "chat.postMessage",
    when: (p) => p.text === "Digest, continued",
    shown: (all) => {
      const replies = all
        .filter((m) => m.text === "Digest, continued")
        .map((m) => JSON.stringify(m.blocks ?? []));
      return new Set(replies).size === replies.length && replies.length > 0 ? 1 : replies.length;
    },
  },
  "digest-chart": {
    method: "files.completeUploadExternal",
    when: () => true,
    shown: (all) => all.filter((m) => (m.files ?? []).length > 0).length,
  },
};

/**
 * A database with one message of every kind queued (and what they need already sent): an alert,
 * a summary, an update, a reply and a question about a posted alert, the update of an earlier
 * question, a reminder of an earlier alert, a key-expiry notice, and a digest with a thread reply
 * and a chart.
 */
async function prepared(slack: FakeSlack, path: string): Promise<void> {
  const clock = new VirtualClock(Date.now() - 3 * HOUR);
  const db = openStore(path);
  const stores = repositories(db);
  const logs = capturedLogger("warn");
  const pauses = new SlackPauses({ store: stores.pauses, clock, logger: logs.logger });
  const client = createWebClient(new Secret("xoxb-prep"), slack.url, logs.logger, { pauses });
  const render = alertRenderer(stores);
  const alerts = (perMinute: number, keep: number) =>
    new AlertOutbox({
      outbox: stores.outbox,
      deliveries: stores.deliveries,
      logger: logs.logger,
      orgId: "org-1",
      channel: CHANNEL,
      render,
      now: () => clock.now(),
      perMinute,
      keepIndividually: keep,
    });
  const poster = createPoster({
    stores,
    client,
    pauses,
    clock,
    logger: logs.logger,
    alertChannel: CHANNEL,
    producers: [(enough) => alerts(60, 10).produceSome(enough).more],
  });
  const responders = new Responders({
    client,
    directory: new SlackDirectory({ client, clock }),
    clock,
    logger: logs.logger,
    configured: ["URESP"],
    channel: CHANNEL,
  });
  const followUps = new FollowUps({
    stores,
    clock,
    logger: logs.logger,
    orgId: "org-1",
    orgIds: ["org-1"],
    rules: parseRulesText("", "rules.yml"),
    directory: new SlackDirectory({ client, clock }),
    responders,
  });
  let n = 0;
  const raise = (alert: Partial<NewAlert> = {}) => {
    n++;
    const base = normalizedEvent();
    stores.events.insertMany([{ ...base, id: `ev-${n}` }], clock.now());
    const seq = stores.events.maxSeq("org-1");
    return stores.alerts.insert({
      orgId: "org-1",
      ruleId: "mcp-first-use",
      severity: "medium",
      groupKey: `g-${n}`,
      title: `alert ${n}`,
      detail: {},
      userId: `acc-${n}`,
      userName: `Person ${n}`,
      userEmail: "p1@example.com",
      authKind: "oauth",
      firstEventSeq: seq,
      lastEventSeq: seq,
      firstSeen: clock.now(),
      lastSeen: clock.now(),
      eventCount: 1,
      tools: ["getJiraIssue"],
      late: false,
      suppressedBy: null,
      notify: true,
      createdAt: clock.now(),
      ...alert,
    });
  };

  // Sent already: an alert three hours old, its question; a second alert, posted now.
  slack.addUser({ id: PERSON, name: "person", email: "p1@example.com" });
  raise({ severity: "high" }); // reminded of: high
  await poster.drain();
  await followUps.pass();
  await poster.drain();
  clock.advance(Date.now() - clock.now());
  const second = raise();
  await poster.drain();

  // Queued, not sent: one message of each kind.
  const now = clock.now();
  raise({ ruleId: "mcp-destructive", severity: "high" });
  alerts(60, 10).produce();
  raise({ ruleId: "mcp-burst", severity: "low" });
  raise({ ruleId: "mcp-burst", severity: "low" });
  alerts(1, 0).produce();
  await followUps.pass(); // asks about the second, and reminds of the first
  stores.trail.change("org-1", second, "acknowledged", "URESP", now, (s) => s === "open");
  const acked = stores.alerts.get(second);
  if (acked) queueAlertUpdate(stores, acked, render(acked), now);
  queueAlertReply(stores, { orgId: "org-1", id: second }, { key: "a-reply", text: "a reply" }, now);
  const question = slack.messages(slack.dmChannel(PERSON))[0];
  stores.outbox.enqueue(
    {
      key: "answered",
      kind: "ask-update",
      method: "chat.update",
      orgId: "org-1",
      to: { channel: slack.dmChannel(PERSON), ts: question?.ts ?? "" },
      payload: { text: "You answered yes" },
      priority: 0,
    },
    now,
  );
  new KeyExpiryNotices({
    notices: stores.notices,
    outbox: stores.outbox,
    clock,
    logger: logs.logger,
    orgId: "org-1",
    keyTag: "key-1",
    channel: CHANNEL,
    expires: now + 5 * 86_400_000,
    responders,
  }).check();
  const message = buildDigest(
    digestData({
      settingsChanges: Array.from({ length: 60 }, (_, i) => ({ title: `${"Ω".repeat(150)} ${i}` })),
      appAuthorizations: Array.from({ length: 60 }, (_, i) => ({
        title: `${"Ψ".repeat(150)} ${i}`,
      })),
    }),
    { kind: "daily", late: false },
  );
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  stores.digests.create("org-1", "daily", now - 86_400_000, now, false, message, png, now);
  const digest = stores.digests.byPeriod("org-1", "daily", now);
  if (digest) queueDigest(stores.outbox, digest, CHANNEL, now);
  const queued = Object.keys(stores.outbox.health().pendingByKind).sort();
  expect(queued).toEqual(Object.keys(KINDS).sort());
  db.close();
}

describe("SIGKILL between Slack taking a message and its record", () => {
  it("for every kind of message: the next process finds it and sends nothing twice", async () => {
    const slack = await fakeSlack();
    const path = join(tempDir(), "outbox.db");
    await prepared(slack, path);
    for (const kind of Object.values(KINDS))
      slack.failNext(kind.method, { hang: true }, 1, kind.when);

    const logs: string[] = [];
    let kills = 0;
    for (let run = 0; run < 20; run++) {
      // Each process as if started 31 s after the last: past the look-up's wait for its claim.
      const { child, log } = startChild(path, slack, run * 31_000);
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // Every held answer taken so far was killed, and none is left to take.
      const held = () => slack.calls.filter((c) => c.fault && "hang" in c.fault).length;
      const done = () =>
        held() === kills && Object.values(KINDS).every((k) => slack.pendingFaults(k.method) === 0);
      await slack.waitFor(
        () => slack.hanging > 0 || done(),
        20_000,
        "a held answer, or none left to hold",
      );
      if (slack.hanging > 0) {
        child.kill("SIGKILL");
        kills++;
        await exited;
        await slack.waitFor(
          () => slack.hanging === 0,
          5_000,
          "the held call to see its caller gone",
        );
        logs.push(log());
        continue;
      }
      // Nothing more to hold: this process sends the rest, then stops.
      await until(() => waiting(path) === 0, "the outbox to empty", 20_000);
      child.kill("SIGTERM");
      await exited;
      logs.push(log());
      break;
    }
    expect(kills).toBe(Object.keys(KINDS).length);
    const all = slack.messages(CHANNEL);
    const dm = slack.messages(slack.dmChannel(PERSON));
    const shown = Object.fromEntries(
      Object.entries(KINDS).map(([kind, k]) => [kind, k.shown(all, dm)]),
    );
    expect(shown).toEqual(Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, 1])));
    const found = logs
      .join("")
      .split("\n")
      .filter((l) => l.includes("already posted before a restart"));
    // Updates are sent again instead of looked up: every other kind was found.
    expect(found).toHaveLength(Object.keys(KINDS).length - 2);
  }, 120_000);
});

describe("digest --post while the bot runs", () => {
  it("each message once, whichever process claims it", async () => {
    const slack = await fakeSlack();
    const path = join(tempDir(), "outbox.db");
    await prepared(slack, path);
    // MCP calls in the last day, so the digest the command makes has a chart.
    const db = openStore(path);
    const events = repositories(db).events;
    const base = normalizedEvent();
    const now = Date.now();
    events.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        ...base,
        id: `recent-${i}`,
        time: now - (i + 1) * 600_000,
        processedAt: now - (i + 1) * 600_000,
      })),
      now,
    );
    db.close();
    const bot = startChild(path, slack);
    const command = runCli(["digest", "--post"], {
      ATLASSIAN_ORG_ID: "org-1",
      ATLASSIAN_API_KEY: "k",
      SLACK_BOT_TOKEN: "xoxb-command",
      SLACK_SIGNING_SECRET: "s",
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.url,
      DATABASE_PATH: path,
    });
    const result = await command;
    expect(result.stdout).toBe(`digest posted to ${CHANNEL}\n`);
    expect(result.code).toBe(0);
    await until(() => waiting(path) === 0, "the bot to send the rest", 20_000);
    bot.child.kill("SIGTERM");

    const all = slack.messages(CHANNEL);
    const digests = all.filter((m) => m.metadata?.event_type === "mcp_digest");
    expect(new Set(digests.map((m) => m.metadata?.event_payload.digest_id)).size).toBe(2);
    expect(digests).toHaveLength(2);
    for (const digest of digests) {
      const charts = all.filter((m) => m.thread_ts === digest.ts && (m.files ?? []).length > 0);
      expect(charts).toHaveLength(1);
    }
    const dm = slack.messages(slack.dmChannel(PERSON));
    for (const [kind, k] of Object.entries(KINDS))
      if (kind !== "digest" && kind !== "digest-chart") expect(k.shown(all, dm), kind).toBe(1);
  }, 60_000);
});
