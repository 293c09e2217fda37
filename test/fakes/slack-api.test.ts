import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, RESPOND_ROUTE, startFakeSlack, UPLOAD_ROUTE } from "./slack-api.js";

const TOKEN = "xoxb-fake-token";
const ALERTS = "C0ALERTS";

let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

function client(options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(TOKEN, {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
    ...options,
  });
}

/** A raw Web API call, so status codes, headers and bodies can be looked at. */
async function call(
  method: string,
  body: string | Record<string, unknown>,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const isJson = typeof body !== "string";
  const response = await fetch(`${fake.url}${method}`, {
    method: "POST",
    headers: {
      "content-type": isJson
        ? "application/json; charset=utf-8"
        : "application/x-www-form-urlencoded",
      ...headers,
    },
    body: isJson ? JSON.stringify(body) : body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}

const metadata = { event_type: "mcp_alert", event_payload: { alert_id: "a-1", rule: "bulk" } };
const blocks = [
  { type: "section", text: { type: "mrkdwn", text: "*Bulk export*" } },
  {
    type: "actions",
    elements: [{ type: "button", action_id: "ack", text: { type: "plain_text", text: "Ack" } }],
  },
];

describe("fake Slack Web API", () => {
  it("serves auth.test under /api/ for the WebClient and records the bearer token", async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await client().auth.test();
    expect(result).toMatchObject({ ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0FAKE" });
    expect(fake.calls).toEqual([
      { method: "auth.test", params: {}, token: TOKEN, at: expect.any(Number) },
    ]);
  });

  it("round-trips a post, an update and history with metadata", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: ALERTS, text: "alert", blocks, metadata });
    expect(posted).toMatchObject({
      ok: true,
      channel: ALERTS,
      message: { text: "alert", metadata },
    });
    const ts = posted.ts ?? "";
    expect(ts).toMatch(/^\d{10}\.\d{6}$/);

    // form-encoded JSON fields arrive decoded
    const [postCall] = fake.callsTo("chat.postMessage");
    expect(postCall?.params).toMatchObject({ channel: ALERTS, text: "alert", blocks, metadata });
    expect(postCall?.token).toBe(TOKEN);

    const reply = await web.chat.postMessage({ channel: ALERTS, text: "detail", thread_ts: ts });
    const second = await web.chat.postMessage({ channel: ALERTS, text: "second" });
    expect(Number(second.ts)).toBeGreaterThan(Number(reply.ts));
    expect((reply.ts ?? "") > ts).toBe(true);

    const updated = await web.chat.update({ channel: ALERTS, ts, text: "alert (acked)" });
    expect(updated).toMatchObject({ ok: true, channel: ALERTS, ts, text: "alert (acked)" });

    expect(fake.messages(ALERTS)).toEqual([
      {
        ts,
        user: "UBOT",
        text: "alert (acked)",
        blocks,
        attachments: undefined,
        thread_ts: undefined,
        metadata,
        updates: 1,
      },
      expect.objectContaining({ text: "detail", thread_ts: ts, updates: 0 }),
      expect.objectContaining({ text: "second", ts: second.ts }),
    ]);

    const withMeta = await web.conversations.history({
      channel: ALERTS,
      include_all_metadata: true,
    });
    expect(withMeta.has_more).toBe(false);
    // newest first, thread replies only in conversations.replies
    expect(withMeta.messages?.map((m) => m.text)).toEqual(["second", "alert (acked)"]);
    expect(withMeta.messages?.[1]).toMatchObject({
      metadata,
      thread_ts: ts,
      reply_count: 1,
      edited: { user: "UBOT" },
    });
    const plain = await web.conversations.history({ channel: ALERTS });
    expect(plain.messages?.[1]?.metadata).toBeUndefined();

    const newer = await web.conversations.history({ channel: ALERTS, oldest: ts });
    expect(newer.messages?.map((m) => m.text)).toEqual(["second"]);
    const inclusive = await web.conversations.history({
      channel: ALERTS,
      oldest: ts,
      inclusive: true,
    });
    expect(inclusive.messages).toHaveLength(2);

    const thread = await web.conversations.replies({ channel: ALERTS, ts });
    expect(thread.messages?.map((m) => m.text)).toEqual(["alert (acked)", "detail"]);
  });

  it("pages history with limit and a cursor", async () => {
    for (let i = 0; i < 5; i++) fake.addMessage(ALERTS, { text: `m${i}` });
    const first = await call("conversations.history", `channel=${ALERTS}&limit=2`);
    expect(first.json).toMatchObject({ ok: true, has_more: true });
    expect((first.json.messages as { text: string }[]).map((m) => m.text)).toEqual(["m4", "m3"]);
    const cursor = (first.json.response_metadata as { next_cursor: string }).next_cursor;
    const next = await call("conversations.history", { channel: ALERTS, limit: 10, cursor });
    expect((next.json.messages as { text: string }[]).map((m) => m.text)).toEqual([
      "m2",
      "m1",
      "m0",
    ]);
    expect(next.json.has_more).toBe(false);
  });

  it("accepts JSON bodies and a token form field", async () => {
    const json = await call("chat.postMessage", { channel: ALERTS, text: "j", metadata });
    expect(json.json).toMatchObject({ ok: true });
    const form = await call("chat.postMessage", `token=xoxb-in-form&channel=${ALERTS}&text=f`, {});
    expect(form.json).toMatchObject({ ok: true });
    const [first, second] = fake.callsTo("chat.postMessage");
    expect(first).toMatchObject({ token: TOKEN, params: { channel: ALERTS, text: "j", metadata } });
    expect(second).toMatchObject({ token: "xoxb-in-form", params: { channel: ALERTS, text: "f" } });
    expect(second?.params).not.toHaveProperty("token");
  });

  it("answers message_not_found for an unknown ts and records unknown methods", async () => {
    const update = await call("chat.update", `channel=${ALERTS}&ts=1.000001&text=x`);
    expect(update.json).toEqual({ ok: false, error: "message_not_found" });
    const unknown = await call("reactions.add", "channel=C1&name=eyes");
    expect(unknown.json).toMatchObject({ ok: false, error: "unknown_method" });
    const inherited = await call("toString", "");
    expect(inherited.json).toMatchObject({ ok: false, error: "unknown_method" });
    expect(fake.calls.map((c) => c.method)).toEqual(["chat.update", "reactions.add", "toString"]);
  });

  it("answers postEphemeral with a message_ts and keeps it out of history", async () => {
    const result = await client().chat.postEphemeral({
      channel: ALERTS,
      user: "U1",
      text: "only you",
    });
    expect(result).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(fake.ephemerals).toEqual([
      expect.objectContaining({ channel: ALERTS, user: "U1", text: "only you" }),
    ]);
    expect(fake.messages(ALERTS)).toEqual([]);
  });

  it("enforces Slack's block limits", async () => {
    const many = Array.from({ length: 51 }, () => ({ type: "divider" }));
    const tooMany = await call("chat.postMessage", { channel: ALERTS, text: "x", blocks: many });
    expect(tooMany.json).toMatchObject({ ok: false, error: "invalid_blocks" });
    const long = [{ type: "section", text: { type: "mrkdwn", text: "a".repeat(3001) } }];
    const tooLong = await call("chat.postMessage", { channel: ALERTS, text: "x", blocks: long });
    expect(tooLong.json.errors).toEqual([
      "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
    ]);
    const empty = await call("chat.postMessage", { channel: ALERTS });
    expect(empty.json).toEqual({ ok: false, error: "no_text" });
    expect(fake.messages(ALERTS)).toEqual([]);
  });
});

describe("fake Slack faults", () => {
  it("answers 429 with Retry-After and ratelimited, then recovers", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const limited = await call("chat.postMessage", `channel=${ALERTS}&text=a`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.json).toEqual({ ok: false, error: "ratelimited" });
    expect(fake.messages(ALERTS)).toEqual([]);
    expect((await call("chat.postMessage", `channel=${ALERTS}&text=a`)).status).toBe(200);
    expect(fake.calls.map((c) => c.fault)).toEqual([{ status: 429, retryAfter: 7 }, undefined]);
  });

  it("surfaces to the WebClient as its own error kinds", async () => {
    const web = client({ rejectRateLimitedCalls: true });
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 3 });
    await expect(web.chat.postMessage({ channel: ALERTS, text: "a" })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 3,
    });
    fake.failNext("chat.postMessage", { status: 500 });
    await expect(web.chat.postMessage({ channel: ALERTS, text: "a" })).rejects.toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 500,
    });
    fake.failNext("chat.postMessage", { error: "not_in_channel" });
    await expect(web.chat.postMessage({ channel: ALERTS, text: "a" })).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error: "not_in_channel" },
    });
    expect(fake.messages(ALERTS)).toEqual([]);
  });

  it("applies faults per method, FIFO, the given number of times", async () => {
    fake.failNext("chat.postMessage", { error: "channel_not_found" }, 2);
    fake.failNext("chat.postMessage", { error: "invalid_auth" });
    const errors = [];
    for (let i = 0; i < 4; i++) {
      const auth = await call("auth.test", "");
      expect(auth.json.ok).toBe(true);
      errors.push((await call("chat.postMessage", `channel=${ALERTS}&text=${i}`)).json.error);
    }
    expect(errors).toEqual(["channel_not_found", "channel_not_found", "invalid_auth", undefined]);
    expect(fake.pendingFaults("chat.postMessage")).toBe(0);
    expect(fake.messages(ALERTS).map((m) => m.text)).toEqual(["3"]);
  });

  it("delays the answer by delayMs and still performs the call", async () => {
    fake.failNext("chat.postMessage", { delayMs: 300 });
    const started = Date.now();
    const result = await call("chat.postMessage", `channel=${ALERTS}&text=slow`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(result.json).toMatchObject({ ok: true });
    expect(fake.messages(ALERTS)).toHaveLength(1);
  });

  it("drop stores the message but the client sees a socket error", async () => {
    fake.failNext("chat.postMessage", { drop: true });
    await expect(call("chat.postMessage", `channel=${ALERTS}&text=lost+answer`)).rejects.toThrow(
      /fetch failed/,
    );
    expect(fake.messages(ALERTS).map((m) => m.text)).toEqual(["lost answer"]);

    fake.failNext("chat.postMessage", { drop: true });
    await expect(
      client().chat.postMessage({ channel: ALERTS, text: "again" }),
    ).rejects.toMatchObject({
      code: webApi.ErrorCode.RequestError,
    });
    expect(fake.messages(ALERTS)).toHaveLength(2);
    // the server keeps serving afterwards
    expect((await client().auth.test()).ok).toBe(true);
  });

  it("checks the token when one is configured", async () => {
    const strict = await startFakeSlack({ token: TOKEN });
    try {
      const answer = (headers: Record<string, string>) =>
        fetch(`${strict.url}auth.test`, { method: "POST", headers }).then((r) => r.json());
      expect(await answer({})).toEqual({ ok: false, error: "not_authed" });
      expect(await answer({ authorization: "Bearer xoxb-other" })).toEqual({
        ok: false,
        error: "invalid_auth",
      });
      expect(await answer({ authorization: `Bearer ${TOKEN}` })).toMatchObject({ ok: true });
    } finally {
      await strict.close();
    }
  });
});

describe("fake Slack directory and files", () => {
  it("pages channel members with cursors", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `U${String(i).padStart(4, "0")}`);
    fake.setMembers(ALERTS, ids);
    const first = await call("conversations.members", `channel=${ALERTS}&limit=100`);
    expect(first.json.members).toEqual(ids.slice(0, 100));
    const cursor = (first.json.response_metadata as { next_cursor: string }).next_cursor;
    expect(cursor).not.toBe("");

    const seen: string[] = [];
    for await (const page of client().paginate("conversations.members", {
      channel: ALERTS,
      limit: 100,
    }))
      seen.push(...((page as { members?: string[] }).members ?? []));
    expect(seen).toEqual(ids);
    expect(fake.callsTo("conversations.members")).toHaveLength(4);

    const unknown = await call("conversations.members", "channel=CNOPE");
    expect(unknown.json).toEqual({ ok: false, error: "channel_not_found" });
  });

  it("answers invalid_limit to a page of 1000 or more, as Slack documents", async () => {
    fake.setMembers(ALERTS, ["U0001"]);
    const posted = await call("chat.postMessage", `channel=${ALERTS}&text=hi`);
    const ts = String(posted.json.ts);
    for (const [method, args] of [
      ["conversations.members", `channel=${ALERTS}`],
      ["conversations.history", `channel=${ALERTS}`],
      ["conversations.replies", `channel=${ALERTS}&ts=${ts}`],
    ] as const) {
      expect((await call(method, `${args}&limit=999`)).json.ok, method).toBe(true);
      expect((await call(method, `${args}&limit=1000`)).json, method).toEqual({
        ok: false,
        error: "invalid_limit",
      });
    }
  });

  it("answers people, user groups and DM channels from what the test configured", async () => {
    fake.addUser({
      id: "U1",
      name: "ada",
      real_name: "Ada L",
      email: "Ada@Example.com",
      tz: "Europe/Paris",
    });
    fake.setUsergroup("S1", ["U1", "U2"]);
    const web = client();
    const info = await web.users.info({ user: "U1" });
    expect(info.user).toMatchObject({
      id: "U1",
      name: "ada",
      real_name: "Ada L",
      tz: "Europe/Paris",
      profile: { email: "Ada@Example.com" },
    });
    expect([3600, 7200]).toContain(info.user?.tz_offset);
    expect((await web.users.lookupByEmail({ email: "ada@example.com" })).user?.id).toBe("U1");
    await expect(web.users.info({ user: "U9" })).rejects.toMatchObject({
      data: { error: "user_not_found" },
    });
    await expect(web.users.lookupByEmail({ email: "x@example.com" })).rejects.toMatchObject({
      data: { error: "users_not_found" },
    });
    expect((await web.usergroups.users.list({ usergroup: "S1" })).users).toEqual(["U1", "U2"]);

    const opened = await web.conversations.open({ users: "U1" });
    expect(opened.channel?.id).toMatch(/^D/);
    expect(opened.channel?.id).toBe(fake.dmChannel("U1"));
    expect((await web.conversations.open({ users: "U1" })).channel?.id).toBe(opened.channel?.id);
    const dm = await web.chat.postMessage({ channel: "U1", text: "hi" });
    expect(dm.channel).toBe(opened.channel?.id);
    expect(fake.messages(opened.channel?.id ?? "").map((m) => m.text)).toEqual(["hi"]);
  });

  it("runs the filesUploadV2 flow with real bytes", async () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255, ...Buffer.from("report,csv\n")]);
    const posted = await client().chat.postMessage({ channel: ALERTS, text: "digest" });
    const result = await client().filesUploadV2({
      channel_id: ALERTS,
      thread_ts: posted.ts ?? "",
      initial_comment: "full report",
      filename: "report.csv",
      title: "Report",
      file: bytes,
    });
    expect(result.ok).toBe(true);
    expect(fake.callsTo("files.getUploadURLExternal")[0]?.params).toMatchObject({
      filename: "report.csv",
      length: String(bytes.length),
    });
    expect(fake.uploads).toHaveLength(1);
    const upload = fake.uploads[0];
    expect(upload).toMatchObject({
      filename: "report.csv",
      length: bytes.length,
      completed: true,
      title: "Report",
      channel_id: ALERTS,
      initial_comment: "full report",
      thread_ts: posted.ts,
    });
    expect(upload?.bytes.equals(bytes)).toBe(true);
  });

  it("serves the upload URL for raw bytes and can fail it", async () => {
    const url = await call("files.getUploadURLExternal", "filename=a.txt&length=3");
    const uploadUrl = String(url.json.upload_url);
    expect(uploadUrl).toBe(`${fake.url.replace(/api\/$/, "")}upload/${url.json.file_id}`);
    fake.failNext(UPLOAD_ROUTE, { status: 500 });
    expect((await fetch(uploadUrl, { method: "POST", body: "abc" })).status).toBe(500);
    const ok = await fetch(uploadUrl, { method: "POST", body: "abc" });
    expect(await ok.text()).toBe("OK - 3");
    expect(fake.uploads[0]?.bytes.toString()).toBe("abc");
    const done = await call("files.completeUploadExternal", {
      files: [{ id: url.json.file_id }],
      channel_id: ALERTS,
    });
    expect(done.json).toEqual({
      ok: true,
      files: [{ id: url.json.file_id, title: "a.txt", name: "a.txt", size: 3 }],
    });
  });
});

describe("fake Slack response_url", () => {
  it("records responses and applies replace_original to the target message", async () => {
    const ts = fake.addMessage(ALERTS, { text: "alert", blocks });
    const url = fake.responseUrl("r1", { channel: ALERTS, ts });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/respond\/r1$/);
    const post = (body: object) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post({ replace_original: true, text: "acked by ada" })).status).toBe(200);
    expect(fake.responses).toEqual([
      {
        id: "r1",
        body: { replace_original: true, text: "acked by ada" },
        at: expect.any(Number),
        via: "response_url",
      },
    ]);
    expect(fake.messages(ALERTS)).toEqual([
      expect.objectContaining({ ts, text: "acked by ada", blocks: undefined, updates: 1 }),
    ]);
    for (let i = 0; i < 4; i++) expect((await post({ text: `${i}` })).status).toBe(200);
    const sixth = await post({ text: "too many" });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: "used_url" });
    expect(fake.responses).toHaveLength(5);
  });

  it("can fail a response_url post", async () => {
    fake.failNext(RESPOND_ROUTE, { error: "expired_url" });
    const res = await fetch(fake.responseUrl("r2"), { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(fake.responses).toEqual([]);
  });

  it("shows a command's acknowledgement as a reply to it, and refuses one Slack would", async () => {
    fake.acknowledged("c1", { status: 200, text: "" });
    fake.acknowledged("c2", { status: 500, text: "oops" });
    expect(fake.responses).toEqual([]);
    const shown = fake.waitFor(() => fake.responses.length === 1, 2000, "the acknowledgement");
    const json = "application/json; charset=utf-8";
    const body = '{"response_type":"ephemeral","text":"hi"}';
    expect(() => fake.acknowledged("c7", { status: 200, text: body })).toThrow(/application\/json/);
    fake.acknowledged("c3", { status: 200, text: body, contentType: json });
    await shown;
    expect(fake.responses).toEqual([
      {
        id: "c3",
        body: { response_type: "ephemeral", text: "hi" },
        at: expect.any(Number),
        via: "ack",
      },
    ]);
    const ack = (id: string, text: string) => () =>
      fake.acknowledged(id, { status: 200, text, contentType: json });
    expect(ack("c4", "not json")).toThrow(/not JSON/);
    expect(ack("c5", '{"blocks":"x"}')).toThrow(/invalid_blocks_format/);
    expect(ack("c6", "{}")).toThrow(/no_text/);
  });

  it("waits for calls that arrive later", async () => {
    const waiting = fake.waitForCalls("chat.postMessage", 2, 2000);
    setTimeout(() => {
      void call("chat.postMessage", `channel=${ALERTS}&text=1`).then(() =>
        call("chat.postMessage", `channel=${ALERTS}&text=2`),
      );
    }, 20);
    expect(await waiting).toHaveLength(2);
    await expect(fake.waitForCalls("chat.update", 1, 50)).rejects.toThrow(/chat.update/);
  });
});
