/**
 * Bad input from Slack, through the real Bolt app over HTTP with correctly signed requests: any
 * command text, button value or payload shape gets a status Slack accepts, and every reply the
 * fake Slack receives is a clear sentence, never a stack trace.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { registerCommand } from "../../src/slack/commands/slash-command.js";
import { T0 } from "../detect/fixtures.js";
import { sendCommand } from "../fakes/slack-command.js";
import {
  actionBody,
  commandBody,
  nowSeconds,
  postSigned,
  signSlackRequest,
} from "../helpers/slack-sign.js";
import { boltApp, SECRET } from "../slack/bolt.js";
import { CHANNEL, slackRig } from "../slack/setup.js";
import { mutate, pathsOf, valueAt } from "./json-paths.js";

const RESPONDER = "URESP";
const OUTSIDER = "UOUT";

/** Bolt with the alert buttons and the command, on the fake Slack, with one posted alert. */
async function boltRig() {
  const r = await slackRig();
  r.clock.advance(3_600_000);
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  r.slack.addUser({ id: RESPONDER, name: "resp", email: "resp@example.com", tz: "Europe/Berlin" });
  r.slack.addUser({ id: OUTSIDER, name: "out", email: "out@example.com", tz: "Not/AZone" });
  const { url } = await boltApp(r, (app, responders) => {
    registerAlertActions(app, r.actionDeps({ responders }));
    registerCommand(
      app,
      r.commandDeps({
        responders,
        status: () => ({
          healthy: true,
          lastPoll: T0,
          lagSeconds: 1,
          lastEvent: T0,
          mcpActionKeys: [],
          pendingDeliveries: 0,
          quarantined: 0,
          backfilling: null,
          problems: [],
        }),
      }),
    );
  });
  const alertId = r.raise();
  await r.poster.drain();
  const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
  let n = 0;
  const nextId = () => `r-${++n}`;

  /** A button click payload as Slack sends it. */
  const click = (actionId: string, value: unknown, user = RESPONDER, replyId = nextId()) => ({
    type: "block_actions",
    team: { id: "T0FAKE", domain: "fake" },
    user: { id: user, username: user, team_id: "T0FAKE" },
    api_app_id: "A0APP",
    token: "legacy",
    trigger_id: `t-${replyId}`,
    container: { type: "message", message_ts: ts, channel_id: CHANNEL },
    channel: { id: CHANNEL, name: "security" },
    message: { ts, type: "message", text: "alert" },
    response_url: r.slack.responseUrl(replyId),
    actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" }],
  });

  /** Replies to one response_url, and whether an alert message was updated since `updates`. */
  const repliesTo = (replyId: string) => r.slack.responses.filter((x) => x.id === replyId);
  const updates = () => r.slack.callsTo("chat.update").length;
  const errorLogs = () =>
    r.logs.lines().filter((line) => typeof line.level === "number" && line.level >= 50);

  return { ...r, url, alertId, ts, click, nextId, repliesTo, updates, errorLogs };
}

type Rig = Awaited<ReturnType<typeof boltRig>>;

const LEAKS = [
  /\n\s+at \S/,
  /\bat .*:\d+:\d+\)/,
  /node_modules/,
  /\/src\//,
  /\.[jt]s:\d/,
  /file:\/\//,
];

/** Every string inside a reply. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(strings);
}

/** A reply is a sentence: non-empty text, nothing that reads like a stack trace or a path. */
function expectClearReply(body: Record<string, unknown>, input: string): void {
  expect(typeof body.text).toBe("string");
  expect(String(body.text).trim().length).toBeGreaterThan(3);
  for (const text of strings(body)) {
    for (const leak of LEAKS) {
      if (!leak.test(input)) expect(text).not.toMatch(leak);
    }
    if (!input.includes("Error")) expect(text).not.toMatch(/\b\w*Error:/);
    expect(text).not.toMatch(/Something went wrong/);
  }
}

/** Waits for the reply to `replyId`, or for an alert message update when `orUpdate` is given. */
async function answerOf(b: Rig, replyId: string, updatesBefore?: number) {
  await b.slack.waitFor(
    () =>
      b.repliesTo(replyId).length > 0 ||
      (updatesBefore !== undefined && b.updates() > updatesBefore),
    5000,
    `the answer to ${replyId}`,
  );
  return b.repliesTo(replyId);
}

/** One signed command; the HTTP status and the reply it gets. */
async function command(b: Rig, text: string, user: string) {
  const replyId = b.nextId();
  const response = await sendCommand(b.slack, b.url, SECRET, replyId, {
    text,
    user_id: user,
    user_name: user,
    team_id: "T0FAKE",
    channel_id: CHANNEL,
  });
  return { status: response.status, replies: await answerOf(b, replyId) };
}

const users = fc.constantFrom(RESPONDER, OUTSIDER, "UNOBODY");

const words = fc.constantFrom(
  "help",
  "status",
  "settings",
  "settings api-tokens",
  "settings nope",
  "user:me",
  "user:<@UNOBODY>",
  "user:resp@example.com",
  "since:7d",
  "since:2026-11-01",
  "until:yesterday",
  "class:write,destructive",
  "format:csv",
  "limit:1",
  "limit:0",
  "tool:createJiraIssue",
  '"unclosed',
  "usr:bob",
  "<https://x.example|a“b>",
  "&lt;script&gt;",
  "constructor",
  "__proto__:x",
);
const commandText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(words, fc.string({ unit: "grapheme", maxLength: 10 })), { maxLength: 6 })
      .map((w) => w.join(" ")),
  },
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.nat({ max: 4000 }).map((n) => "x ".repeat(n)),
);

describe("signed requests with bad input", () => {
  it("any command text gets 200 and one clear reply", async () => {
    const b = await boltRig();
    await fc.assert(
      fc.asyncProperty(commandText, users, async (text, user) => {
        const { status, replies } = await command(b, text, user);
        expect(status).toBe(200);
        expect(replies).toHaveLength(1);
        expectClearReply(replies[0]?.body ?? {}, text);
      }),
      { numRuns: 100 },
    );
    expect(b.errorLogs()).toEqual([]);
  });

  /** What a Show-more or Export button could carry after tampering. */
  const cursor = fc.record(
    {
      time: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 4 }), fc.constant(null)),
      seq: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 53), fc.string({ maxLength: 4 })),
    },
    { requiredKeys: [] },
  );
  const queryValue = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .record(
          {
            v: fc.constant(1),
            q: commandText,
            b: fc.record({ time: fc.nat({ max: 2 ** 42 }), seq: fc.integer({ min: 1 }) }),
          },
          { requiredKeys: ["v", "q"] },
        )
        .map((value) => JSON.stringify(value)),
    },
    fc
      .record(
        {
          v: fc.oneof(fc.constant(1), fc.constant(2), fc.string({ maxLength: 2 })),
          q: fc.oneof(commandText, fc.nat({ max: 9 }), fc.constant("x".repeat(1501))),
          b: cursor,
        },
        { requiredKeys: ["v", "q"] },
      )
      .map((value) => JSON.stringify(value)),
    fc.tuple(fc.string({ maxLength: 8 }), fc.nat()).map(([tail, cut]) => {
      const json = JSON.stringify({ v: 1, q: "since:7d", b: { time: T0, seq: 1 } });
      return json.slice(0, cut % json.length) + tail;
    }),
    fc.json({ maxDepth: 2 }),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.constantFrom('{"v":1,"q":"since:7d","b":{"time":0,"seq":1},"x":1}', "null", "[]", ""),
  );

  it("any Show-more or Export value gets 200 and one clear reply", async () => {
    const b = await boltRig();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("query_more", "query_export"),
        queryValue,
        users,
        async (actionId, value, user) => {
          const replyId = b.nextId();
          const response = await postSigned(
            b.url,
            actionBody(b.click(actionId, value, user, replyId)),
            SECRET,
          );
          expect(response.status).toBe(200);
          const replies = await answerOf(b, replyId);
          expect(replies).toHaveLength(1);
          expectClearReply(replies[0]?.body ?? {}, value);
        },
      ),
      { numRuns: 100 },
    );
    expect(b.errorLogs()).toEqual([]);
  });

  it("any alert id on any alert button gets 200 and a clear reply or an updated alert", async () => {
    const b = await boltRig();
    const alertValue = fc.oneof(
      fc.constant(String(b.alertId)),
      fc.constantFrom(
        `${b.alertId} `,
        ` ${b.alertId}`,
        `0${b.alertId}`,
        `${b.alertId}.0`,
        `${b.alertId}e0`,
        `0x${b.alertId}`,
        String(b.alertId + 1),
        "0",
        "-1",
        "999999999999",
        "9999999999999999999999",
        "1 OR 1=1",
        "",
      ),
      fc.string({ unit: "binary", maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "alert_acknowledge",
          "alert_expected",
          "alert_expected_mute",
          "alert_true_positive",
          "alert_settings",
          "alert_reopen",
        ),
        alertValue,
        users,
        async (actionId, value, user) => {
          const replyId = b.nextId();
          const before = b.updates();
          const response = await postSigned(
            b.url,
            actionBody(b.click(actionId, value, user, replyId)),
            SECRET,
          );
          expect(response.status).toBe(200);
          const known = /^\d{1,12}$/.test(value) && Number(value) === b.alertId;
          // A click on the alert may answer with an update alone; any other gets a reply.
          const replies = await answerOf(b, replyId, known ? before : undefined);
          for (const reply of replies) expectClearReply(reply.body, value);
          // Only the alert's own id (leading zeros aside) may reach it.
          if (!known) {
            expect(replies).toHaveLength(1);
            expect(String(replies[0]?.body.text)).toBe("That alert is not known here any more.");
          }
        },
      ),
      { numRuns: 50 },
    );
    for (const update of b.slack.callsTo("chat.update")) expectClearReply(update.params, "");
    expect(b.errorLogs()).toEqual([]);
  });
});

/** The JSON kind of a value: what Slack's payloads keep stable for each field. */
function kind(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

describe("interaction payloads of any shape", () => {
  const garbage = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, "", 0, [], {}, "x".repeat(5000), "\u0000", "constructor"),
    fc.string({ unit: "binary", maxLength: 12 }),
  );

  it("a signed click with parts missing or of the wrong type never gets a stack trace", async () => {
    const b = await boltRig();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("alert_acknowledge", "alert_settings", "query_more", "query_export"),
        fc.array(fc.tuple(fc.nat(), garbage), { minLength: 1, maxLength: 3 }),
        users,
        async (actionId, changes, user) => {
          const value = actionId.startsWith("alert") ? String(b.alertId) : '{"v":1,"q":"since:7d"}';
          let payload: unknown = b.click(actionId, value, user);
          let sameKinds = true;
          for (const [at, replacement] of changes) {
            // `type` and the action's id stay, so Bolt routes the click to a listener at once
            // (a click no listener takes is answered 404 after Bolt's three-second wait).
            const paths = pathsOf(payload).filter(
              (p) =>
                p[0] !== "type" &&
                !["actions", "actions,0", "actions,0,action_id"].includes(p.join()),
            );
            const path = paths[at % paths.length];
            if (!path) continue;
            const before = valueAt(payload, path);
            // Bolt looks a team id up in a plain object, so "constructor" counts as another kind.
            sameKinds &&=
              replacement !== undefined &&
              kind(replacement) === kind(before) &&
              !(typeof replacement === "string" && replacement in Object.prototype);
            payload = mutate(
              payload,
              path,
              replacement === undefined ? { remove: true } : { with: replacement },
            );
          }
          const response = await postSigned(b.url, actionBody(payload as object), SECRET);
          // Other values of the same kinds get 200. A field missing or of another kind may get
          // Bolt's bare 500: it reads some (channel.id, message.ts, …) before any listener runs.
          expect(sameKinds ? [200] : [200, 500]).toContain(response.status);
          for (const leak of LEAKS) expect(response.text).not.toMatch(leak);
        },
      ),
      { numRuns: 100 },
    );
    // Still answering, and every reply sent was a clear one.
    const { status, replies } = await command(b, "help", RESPONDER);
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    for (const reply of b.slack.responses) expectClearReply(reply.body, "");
  });
});

describe("requests that are not Slack's", () => {
  const body = fc.oneof(
    commandText.map((text) =>
      commandBody({ command: "/mcp-activity", text, user_id: RESPONDER, response_url: "x" }),
    ),
    fc.string({ unit: "binary", maxLength: 60 }).filter((text) => !text.includes("ssl_check")),
  );
  const forgery = fc.oneof(
    fc
      .record({ secret: fc.string({ minLength: 1, maxLength: 20 }) })
      .filter((f) => f.secret !== SECRET),
    fc.record({
      signature: fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^v0=[0-9a-f]{64}$/)),
    }),
    fc.record({
      age: fc.integer({ min: 301, max: 10 ** 6 }),
    }),
    fc.record({ otherBody: fc.string({ maxLength: 20 }) }),
    fc.constant({ unsigned: true }),
  );

  it("unsigned, wrongly signed, stale or replayed on another body: 401 and nothing done", async () => {
    const b = await boltRig();
    const alertBody = actionBody(b.click("alert_acknowledge", String(b.alertId)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, fc.constant(alertBody)), forgery, async (text, f) => {
        let headers: Record<string, string> = {};
        if ("secret" in f) headers = { ...signSlackRequest(f.secret, text) };
        if ("signature" in f)
          headers = { ...signSlackRequest(SECRET, text), "x-slack-signature": f.signature };
        if ("age" in f) headers = { ...signSlackRequest(SECRET, text, nowSeconds() - f.age) };
        if ("otherBody" in f) headers = { ...signSlackRequest(SECRET, `${text}${f.otherBody}x`) };
        const response = await fetch(b.url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          body: text,
        });
        expect(response.status).toBe(401);
        expect(await response.text()).toBe("");
      }),
      { numRuns: 60 },
    );
    // A real request after them is answered, and none of them left a trace.
    const { replies } = await command(b, "help", RESPONDER);
    expect(b.slack.responses).toEqual(replies);
    expect(b.alerts.get(b.alertId)?.status).toBe("open");
    expect(b.slack.callsTo("chat.update")).toHaveLength(0);
  });

  // Left out: a signed body that parses to JSON null. Bolt 5.1's receiver reads `ssl_check` from
  // it outside any handler, so the request hangs and the rejection goes unhandled. Only a holder
  // of the signing secret can send one; Slack never does.
  it("a signed body that does not parse gets a bare 400", async () => {
    const b = await boltRig();
    const notJson = fc.string({ unit: "binary", maxLength: 40 }).filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(notJson, fc.boolean(), async (text, asForm) => {
        const body = asForm ? new URLSearchParams({ payload: text }).toString() : text;
        const response = await postSigned(b.url, body, SECRET, {
          contentType: asForm ? "application/x-www-form-urlencoded" : "application/json",
        });
        expect(response.status).toBe(400);
        expect(response.text).toBe("");
      }),
      { numRuns: 40 },
    );
    expect(b.slack.responses).toHaveLength(0);
  });
});
