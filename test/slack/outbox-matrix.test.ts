/**
 * Every kind of Slack message, each through the same faults: a 429 with Retry-After, a 500, a
 * timeout after which Slack keeps the message, `ok:false ratelimited`, and chat.postMessage's
 * `ok:false rate_limited` ("Application has posted too many messages"). Each message is shown
 * exactly once, and no call reaches Slack before a Retry-After it answered has elapsed.
 */
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { buildDigest } from "../../src/digest/build.js";
import { WatchedOrgs } from "../../src/organizations.js";
import {
  alertMessage,
  queueAlertReply,
  queueAlertUpdate,
} from "../../src/slack/alerts/alert-thread.js";
import { verbatim } from "../../src/slack/blocks/verbatim.js";
import { allKinds, createPoster } from "../../src/slack/delivery.js";
import { queueDigest } from "../../src/slack/digest-outbox.js";
import { SlackDirectory } from "../../src/slack/directory.js";
import { SlackPausedError } from "../../src/slack/failure.js";
import { HomeTab } from "../../src/slack/home/home.js";
import { KeyExpiryNotices } from "../../src/slack/key-expiry.js";
import { WeeklyAttestation } from "../../src/slack/people/attestation.js";
import { FollowUps } from "../../src/slack/people/followups.js";
import { Responders } from "../../src/slack/responders.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { digestData } from "../digest/fixtures.js";
import type { SlackFault } from "../fakes/slack-api.js";
import type { Params } from "../fakes/slack-http.js";
import { CHANNEL, slackRig } from "./setup.js";

type Rig = Awaited<ReturnType<typeof slackRig>>;
const PERSON = "UPERSON";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

interface Case {
  /** The Slack call the fault is put on, and which of its calls. */
  readonly method: string;
  readonly when?: (params: Params) => boolean;
  readonly rig?: Parameters<typeof slackRig>[0];
  /** Queues one message of this kind (sending what it needs first). */
  queue(r: Rig): Promise<void>;
  /** How many times Slack shows that message. */
  shown(r: Rig): number;
}

const threadOf = (r: Rig) => {
  const [parent] = r.slack.messages(CHANNEL);
  return r.slack.messages(CHANNEL).filter((m) => m.thread_ts === parent?.ts && m !== parent);
};
const texts = (r: Rig, channel: string, text: string) =>
  r.slack.messages(channel).filter((m) => m.text.includes(text)).length;

function followUps(r: Rig) {
  const rules = parseRulesText("", "rules.yml");
  return new FollowUps({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
    orgIds: ["org-1"],
    rules,
    directory: new SlackDirectory({ client: r.client, clock: r.clock }),
    responders: new Responders({
      client: r.client,
      directory: new SlackDirectory({ client: r.client, clock: r.clock }),
      clock: r.clock,
      logger: r.logs.logger,
      configured: ["URESP"],
      channel: CHANNEL,
    }),
  });
}

/** An alert about the person, posted and asked about. */
async function asked(r: Rig): Promise<number> {
  r.slack.addUser({ id: PERSON, name: "person", email: "p1@example.com" });
  const id = r.raise({ ruleId: "mcp-first-use", severity: "medium" });
  await r.poster.drain();
  await followUps(r).pass();
  return id;
}

async function posted(r: Rig): Promise<number> {
  const id = r.raise();
  await r.poster.drain();
  return id;
}

function digest(r: Rig, options: { replies?: boolean; chart?: boolean }) {
  const data = options.replies
    ? digestData({
        settingsChanges: Array.from({ length: 60 }, (_, i) => ({
          title: `${"Ω".repeat(150)} ${i}`,
        })),
        appAuthorizations: Array.from({ length: 60 }, (_, i) => ({
          title: `${"Ψ".repeat(150)} ${i}`,
        })),
      })
    : digestData();
  const message = buildDigest(data, { kind: "daily", late: false });
  const now = r.clock.now();
  r.stores.digests.create(
    "org-1",
    "daily",
    now - 86_400_000,
    now,
    false,
    message,
    options.chart ? PNG : null,
    now,
  );
  const record = r.stores.digests.byPeriod("org-1", "daily", now);
  if (!record) throw new Error("no digest");
  queueDigest(r.stores.outbox, record, CHANNEL, now);
  return message;
}

let firstReply = "";

/** A reply of this kind in a posted alert's thread. */
function threadReply(kind: string, text: string): Case {
  return {
    method: "chat.postMessage",
    when: (p) => p.thread_ts !== undefined,
    async queue(r) {
      const id = await posted(r);
      queueAlertReply(
        r.stores,
        { orgId: "org-1", id },
        { key: `${kind}-under-test`, kind, text },
        r.clock.now(),
      );
    },
    shown: (r) => threadOf(r).filter((m) => m.text === text).length,
  };
}

const CASES: Record<string, Case> = {
  alert: {
    method: "chat.postMessage",
    async queue(r) {
      r.raise();
      r.alertOutbox.produce();
    },
    shown: (r) =>
      r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_alert").length,
  },
  "alert-update": {
    method: "chat.update",
    async queue(r) {
      const id = await posted(r);
      r.stores.trail.change(
        "org-1",
        id,
        "acknowledged",
        "URESP",
        r.clock.now(),
        (s) => s === "open",
      );
      const alert = r.alerts.get(id);
      if (alert) queueAlertUpdate(r.stores, alert, r.render(alert), r.clock.now());
    },
    shown: (r) =>
      r.slack
        .messages(CHANNEL)
        .filter((m) => JSON.stringify(m.blocks ?? []).includes("Acknowledged by <@URESP>")).length,
  },
  "alert-reply": threadReply("alert-reply", "a reply"),
  "alert-grew": threadReply("alert-grew", "Now 2 events"),
  summary: {
    method: "chat.postMessage",
    rig: { perMinute: 1, keepIndividually: 0 },
    async queue(r) {
      r.raise({ severity: "medium" });
      r.raise({ severity: "medium" });
      r.alertOutbox.produce();
    },
    shown: (r) =>
      r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_alert_summary")
        .length,
  },
  rollup: {
    method: "chat.postMessage",
    rig: { maxPerHour: 1 },
    async queue(r) {
      r.raise({ severity: "medium" });
      await r.poster.drain();
      r.raise({ severity: "medium" });
      r.alertOutbox.produce();
    },
    shown: (r) =>
      r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_alert_rollup").length,
  },
  "rollup-update": {
    method: "chat.update",
    rig: { maxPerHour: 1 },
    async queue(r) {
      r.raise({ severity: "medium" });
      await r.poster.drain();
      r.raise({ severity: "medium" });
      await r.poster.drain();
      r.raise({ severity: "medium" });
      r.alertOutbox.produce();
    },
    shown: (r) =>
      r.slack.messages(CHANNEL).filter((m) => m.text.startsWith("2 more alerts")).length,
  },
  ask: {
    method: "chat.postMessage",
    when: (p) => String(p.channel).startsWith("D"),
    async queue(r) {
      await asked(r);
    },
    shown: (r) => texts(r, r.slack.dmChannel(PERSON), "Did you do this?"),
  },
  "ask-update": {
    method: "chat.update",
    async queue(r) {
      await asked(r);
      await r.poster.drain();
      const [question] = r.slack.messages(r.slack.dmChannel(PERSON));
      r.stores.outbox.enqueue(
        {
          key: "ask-answered:org-1:1",
          kind: "ask-update",
          method: "chat.update",
          orgId: "org-1",
          to: { channel: r.slack.dmChannel(PERSON), ts: question?.ts ?? "" },
          payload: { text: "You answered yes" },
          priority: 0,
        },
        r.clock.now(),
      );
    },
    shown: (r) => texts(r, r.slack.dmChannel(PERSON), "You answered yes"),
  },
  reminder: {
    method: "chat.postMessage",
    when: (p) => String(p.text).startsWith("⏰"),
    async queue(r) {
      await posted(r);
      const f = followUps(r);
      await f.pass();
      r.clock.advance(2 * HOUR);
      await f.pass();
    },
    shown: (r) => threadOf(r).filter((m) => m.text.startsWith("⏰")).length,
  },
  notice: {
    method: "chat.postMessage",
    async queue(r) {
      new KeyExpiryNotices({
        notices: r.stores.notices,
        outbox: r.stores.outbox,
        clock: r.clock,
        logger: r.logs.logger,
        orgId: "org-1",
        keyTag: "key-1",
        channel: CHANNEL,
        expires: r.clock.now() + 5 * 86_400_000,
        responders: new Responders({
          client: r.client,
          directory: new SlackDirectory({ client: r.client, clock: r.clock }),
          clock: r.clock,
          logger: r.logs.logger,
          configured: ["URESP"],
          channel: CHANNEL,
        }),
      }).check();
    },
    shown: (r) => texts(r, CHANNEL, "API key expires"),
  },
  digest: {
    method: "chat.postMessage",
    async queue(r) {
      digest(r, {});
    },
    shown: (r) =>
      r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_digest").length,
  },
  "digest-reply": {
    method: "chat.postMessage",
    when: (p) => p.thread_ts !== undefined,
    async queue(r) {
      firstReply = JSON.stringify(verbatim(digest(r, { replies: true }).replies[0]));
    },
    // The fault meets the first reply: it is shown once (and each other reply too).
    shown: (r) => {
      const replies = threadOf(r).map((m) => JSON.stringify(m.blocks ?? []));
      const once = new Set(replies).size === replies.length;
      return once ? replies.filter((b) => b === firstReply).length : 0;
    },
  },
  home: {
    method: "views.publish",
    async queue(r) {
      r.slack.addUser({ id: PERSON, email: "someone@example.com" });
      await new HomeTab({
        stores: r.stores,
        directory: r.directory,
        clock: r.clock,
        logger: r.logs.logger,
        responders: { check: async () => ({ ok: false, message: "no" }) },
        orgs: new WatchedOrgs(["org-1"]),
        organizations: () => [],
        queued: () => {},
      }).show(PERSON);
    },
    // Published again after a timeout, a view shows the same: what counts is that it is there.
    shown: (r) =>
      JSON.stringify(r.slack.home(PERSON)?.blocks ?? []).includes("Your AI-tool activity") ? 1 : 0,
  },
  attestation: {
    method: "chat.postMessage",
    when: (p) => String(p.channel).startsWith("D"),
    queue: attestation,
    shown: (r) => texts(r, r.slack.dmChannel(ATTESTED), "AI tools acted as you"),
  },
  "attestation-update": {
    method: "chat.update",
    async queue(r) {
      await attestation(r);
      await r.poster.drain();
      const [message] = r.slack.messages(r.slack.dmChannel(ATTESTED));
      r.stores.outbox.enqueue(
        {
          key: "attestation-answered:org-1:1",
          kind: "attestation-update",
          method: "chat.update",
          orgId: "org-1",
          to: { channel: r.slack.dmChannel(ATTESTED), ts: message?.ts ?? "" },
          payload: { text: "You answered looks right" },
          priority: 0,
        },
        r.clock.now(),
      );
    },
    shown: (r) => texts(r, r.slack.dmChannel(ATTESTED), "You answered looks right"),
  },
  "digest-chart": {
    method: "files.completeUploadExternal",
    async queue(r) {
      digest(r, { chart: true });
    },
    shown: (r) => threadOf(r).filter((m) => (m.files ?? []).length > 0).length,
  },
};

const ATTESTED = "UATTEST";

/** A week of a person's MCP calls, and the weekly check that asks them about it. */
async function attestation(r: Rig): Promise<void> {
  r.slack.addUser({ id: ATTESTED, email: "att@example.com" });
  const now = r.clock.now();
  const polled = { orgId: "org-1", cursor: null, lastProcessedAt: now, backfillFrom: null };
  r.stores.pollStates.save(
    { ...polled, backfillUntil: now - 30 * 86_400_000, backfillDone: true },
    now,
  );
  const base = normalizedEvent();
  r.stores.events.insertMany(
    Array.from({ length: 3 }, (_, i) => ({
      ...base,
      id: `att-${i}`,
      time: r.clock.now() - 2 * 86_400_000 + i,
      userId: "acc-att",
      userEmail: "att@example.com",
    })),
    r.clock.now(),
  );
  await new WeeklyAttestation({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
    orgIds: ["org-1"],
    cron: "0 9 * * WED",
    timeZone: "UTC",
    minCalls: 1,
    directory: new SlackDirectory({ client: r.client, clock: r.clock }),
  }).run();
}

/**
 * The Web API client's timeout: short, so a timeout fault is quick, yet long enough that an
 * ordinary answer of the fake is never late on a busy machine.
 */
const CLIENT_TIMEOUT_MS = 600;

const FAULTS: Array<[string, SlackFault]> = [
  ["a 429 with Retry-After", { status: 429, retryAfter: 3 }],
  ["a 500", { status: 500 }],
  ["a timeout (Slack keeps the message)", { delayMs: 2 * CLIENT_TIMEOUT_MS }],
  ["ok:false ratelimited", { error: "ratelimited" }],
  ["ok:false rate_limited", { error: "rate_limited" }],
];

/**
 * Sends until the outbox is empty: after each pass the fake finishes what it was still doing, and
 * the clock moves a second, or to the end of a method's pause (a minute for a rate limit without
 * Retry-After).
 */
async function settle(r: Rig): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await r.poster.drain();
    await r.slack.idle();
    if (Object.keys(r.stores.outbox.health().pendingByKind).length === 0) return;
    const held = r.pauses.active().map((p) => p.until - r.clock.now());
    r.clock.advance(Math.max(1_000, ...held));
  }
  throw new Error(`the outbox did not empty: ${JSON.stringify(r.stores.outbox.health())}`);
}

describe("every kind of message through every fault", () => {
  for (const [kind, c] of Object.entries(CASES)) {
    it.each(FAULTS)(`${kind}: %s, then shown once`, async (_label, fault) => {
      const r = await slackRig({ timeoutMs: CLIENT_TIMEOUT_MS, ...c.rig });
      await c.queue(r);
      expect(r.stores.outbox.health().pendingByKind[kind]).toBeGreaterThanOrEqual(1);
      const before = r.slack.calls.length;
      r.slack.failNext(c.method, fault, 1, c.when);
      await settle(r);
      expect(r.slack.pendingFaults(c.method)).toBe(0);
      expect(c.shown(r)).toBe(1);
      for (const post of r.slack.callsTo("chat.postMessage"))
        expect(post.params).toMatchObject({ unfurl_links: "false", unfurl_media: "false" });
      const faulted = r.slack.calls.slice(before).find((call) => call.fault !== undefined);
      expect(faulted?.method).toBe(c.method);
      if (faulted && "status" in fault && fault.status === 429) {
        // Nothing calls the method again, for any kind of message, before Retry-After elapsed.
        const again = r.slack.calls.filter(
          (call) => call.method === c.method && call.at > faulted.at,
        );
        expect(again.length).toBeGreaterThan(0);
        for (const call of again) expect(call.at - faulted.at).toBeGreaterThanOrEqual(3_000);
      }
    });
  }
});

describe("the outbox's promises across kinds", () => {
  it("lists every kind of message the app sends", async () => {
    const r = await slackRig();
    expect(Object.keys(allKinds(r.stores)).sort()).toEqual(Object.keys(CASES).sort());
  });

  it("a 429 on a method holds it for every kind and every process sharing the database", async () => {
    const r = await slackRig();
    const other = r.makePoster(); // another process: its own claims, the same pauses
    await posted(r);
    CASES.notice?.queue(r);
    queueAlertReply(
      r.stores,
      { orgId: "org-1", id: 1 },
      { key: "k", text: "a reply" },
      r.clock.now(),
    );
    r.slack.failNext("chat.postMessage", { status: 429, retryAfter: 30 });
    await r.poster.drain();
    const limited = r.slack.callsTo("chat.postMessage").at(-1);
    expect(limited?.fault).toMatchObject({ status: 429 });
    r.clock.advance(29_000);
    await other.drain();
    await r.poster.drain();
    expect(r.slack.callsTo("chat.postMessage").filter((c) => c.at > (limited?.at ?? 0))).toEqual(
      [],
    );
    r.clock.advance(1_000);
    await other.drain();
    await r.poster.drain();
    expect(texts(r, CHANNEL, "API key expires")).toBe(1);
    expect(threadOf(r).filter((m) => m.text === "a reply")).toHaveLength(1);
  });

  it("the client does not call a paused method, live answers included, and caps what a 429 asks", async () => {
    const r = await slackRig();
    r.slack.failNext("users.info", { status: 429, retryAfter: 3_000_000 });
    await expect(r.client.users.info({ user: "U1" })).rejects.toMatchObject({
      code: "slack_webapi_rate_limited_error",
    });
    expect(r.pauses.holding("users.info")?.until).toBe(r.clock.now() + 15 * 60_000);
    expect(r.logs.text()).toContain(
      "Slack asked to wait 3000000 s before calling users.info again; waiting 900 s, the longest this app waits",
    );
    const calls = r.slack.callsTo("users.info").length;
    await expect(r.client.users.info({ user: "U1" })).rejects.toBeInstanceOf(SlackPausedError);
    expect(r.slack.callsTo("users.info")).toHaveLength(calls);
    r.clock.advance(15 * 60_000);
    await expect(r.client.users.info({ user: "U1" })).rejects.toMatchObject({
      data: { error: "user_not_found" },
    });
    expect(r.slack.callsTo("users.info")).toHaveLength(calls + 1);
  });

  it("sleeps while a pause holds what waits: about one wake-up a second, not a busy loop", async () => {
    const r = await slackRig();
    await posted(r);
    for (let i = 0; i < 5; i++)
      queueAlertReply(
        r.stores,
        { orgId: "org-1", id: 1 },
        { key: `r${i}`, text: `reply ${i}` },
        r.clock.now(),
      );
    r.slack.failNext("chat.postMessage", { status: 429, retryAfter: 60 });
    const stop = new AbortController();
    const start = r.clock.now();
    const clock = {
      now: () => r.clock.now(),
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (r.clock.now() - start > 90_000) stop.abort();
        await r.clock.sleep(ms, signal);
      },
    };
    const poster = createPoster({
      stores: r.stores,
      client: r.client,
      pauses: r.pauses,
      clock,
      logger: r.logs.logger,
      alertChannel: CHANNEL,
      producers: [],
    });
    const before = r.clock.sleeps.length;
    await poster.run(stop.signal);
    // 90 s of the poster's clock: a 60 s pause, then five replies a second apart.
    expect(r.clock.sleeps.length - before).toBeLessThan(120);
    expect(threadOf(r).filter((m) => m.text.startsWith("reply "))).toHaveLength(5);
  });

  it("a thread reply waits for its alert's message, wherever it is", async () => {
    const r = await slackRig();
    const id = r.raise();
    r.alertOutbox.produce();
    expect(alertMessage(r.stores, { orgId: "org-1", id })).toMatchObject({ channel: CHANNEL });
    queueAlertReply(
      r.stores,
      { orgId: "org-1", id },
      { key: "early", text: "early reply" },
      r.clock.now(),
    );
    await r.poster.drain();
    const [parent, reply] = r.slack.messages(CHANNEL);
    expect(reply?.thread_ts).toBe(parent?.ts);
    expect(reply?.text).toBe("early reply");
  });
});
