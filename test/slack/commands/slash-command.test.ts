import { describe, expect, it } from "vitest";
import type { Posture } from "../../../src/detect/posture.js";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { ANSWER_IN_ACK_MS, registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { UPLOAD_ROUTE } from "../../fakes/slack-api.js";
import { blockErrors } from "../../fakes/slack-limits.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

async function commandRig(maxExportRows?: number, posture?: Posture) {
  const r = await slackRig();
  r.clock.advance(60 * MINUTE); // "now" is an hour after the events
  r.slack.setMembers(CHANNEL, ["URESP"]);
  r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "Europe/Berlin" });
  r.slack.addUser({ id: "UALICE", name: "alice", email: "alice@example.com", tz: "UTC" });
  r.slack.addUser({ id: "UBOB", name: "bob", email: "bob@example.com", tz: "UTC" });
  const status = () => ({
    healthy: true,
    lastPoll: T0,
    lagSeconds: 42,
    lastEvent: T0,
    mcpActionKeys: ["rovo_mcp_tool_called"],
    pendingDeliveries: 0,
    quarantined: 3,
    backfilling: null,
    problems: [],
  });
  const b = await boltApp(r, (app, responders) =>
    registerCommand(
      app,
      r.commandDeps({
        responders,
        status,
        ...(maxExportRows !== undefined ? { maxExportRows } : {}),
        ...(posture ? { posture } : {}),
      }),
    ),
  );
  const base = normalizedEvent();
  const events: NormalizedEvent[] = [
    ...Array.from({ length: 30 }, (_, i) => ({
      ...base,
      id: `a-${i}`,
      time: T0 - i * MINUTE,
      tool: i % 3 === 0 ? "createJiraIssue" : "getJiraIssue",
      toolClass: (i % 3 === 0 ? "write" : "read") as "write" | "read",
      resource: `OPS-${i % 4}`,
    })),
    {
      ...base,
      id: "b-1",
      time: T0,
      userId: "acc-bob",
      userName: "Bob <!channel>",
      userEmail: "bob@example.com",
      tool: "deleteJiraIssue",
      toolClass: "destructive",
    },
  ];
  new EventStore(r.db).insertMany(events, T0);
  // The organization's history has been read (see "while the first poll reads the history").
  const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
  r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
  /** A signed `/mcp-activity`, taken; its reply, and that reply as JSON text. */
  const ask = async (text: string, user = "URESP") => {
    const sent = await b.command(text, user);
    expect(sent.status).toBe(200);
    const body = await sent.body();
    return { body, text: JSON.stringify(body) };
  };
  /** A signed click on a button of a reply; the reply to it as JSON text. */
  const click = async (actionId: string, value: string, user = "URESP") =>
    JSON.stringify(await (await b.click(actionId, user, value)).body());
  return { ...r, ask, click, command: b.command };
}

describe("/mcp-activity while the first poll reads the history", () => {
  it("says the answer is not whole yet, found or not", async () => {
    const c = await commandRig();
    const state = { orgId: "org-1", cursor: "c1", lastProcessedAt: T0, backfillFrom: null };
    c.stores.pollStates.save({ ...state, backfillUntil: T0, backfillDone: false }, T0);
    const note = "The first poll is still reading the audit log";
    expect((await c.ask("user:alice@example.com since:1d")).text).toContain(note);
    const none = (await c.ask("tool:nothingLikeThis since:1d")).text;
    expect(none).toContain("No MCP activity matches");
    expect(none).toContain(note);
    expect(none).not.toContain("Try a longer window");
  });
});

describe("/mcp-activity over time retention deleted", () => {
  it("says the events before the cut were deleted, only when the window reaches back past it", async () => {
    const c = await commandRig();
    const cut = c.clock.now() - 3 * 86_400_000;
    c.stores.prunedBefore.record("org-1", cut, c.clock.now());
    const note = "were deleted by retention (`RETENTION_DAYS`)";
    expect((await c.ask("user:alice@example.com since:7d")).text).toContain(note);
    const none = (await c.ask("tool:nothingLikeThis since:7d")).text;
    expect(none).toContain(note);
    expect(none).not.toContain("Try a longer window");
    expect((await c.ask("user:alice@example.com since:1d")).text).not.toContain(note);
    // A pass with a longer retention later does not bring the deleted time back.
    c.stores.prunedBefore.record("org-1", cut - 86_400_000, c.clock.now());
    expect(c.stores.prunedBefore.get("org-1")).toBe(cut);
  });
});

function buttons(body: Record<string, unknown>): Array<{ action_id: string; value: string }> {
  const blocks =
    (body.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string; value: string }>;
    }>) ?? [];
  return blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements ?? []);
}

describe("/mcp-activity through the real Bolt app", () => {
  it("asks Slack who the bot is once, not for every request, and again after a failure", async () => {
    const c = await commandRig();
    c.slack.failNext("auth.test", { status: 503 });
    const refused = await c.command("help", "URESP");
    // Acknowledged empty; the person is told on the response URL why nothing was done.
    expect(refused).toMatchObject({ status: 200, acknowledgement: "" });
    expect(await refused.body()).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("could not reach Slack to check who it is"),
    });
    expect(c.slack.callsTo("auth.test")).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect((await c.ask("help")).text).toContain("`user:` name");
    expect(c.slack.callsTo("auth.test")).toHaveLength(2);
  });

  it("gives each request its own authorization: one person's id never carries over to the next", async () => {
    const r = await slackRig();
    const seen: Array<string | undefined> = [];
    const b = await boltApp(r, (app) =>
      app.command("/mcp-activity", async ({ ack, context }) => {
        seen.push(context.userId);
        await ack();
      }),
    );
    for (const user of ["UALICE", "UBOB", "UALICE"])
      expect((await b.command("help", user)).status).toBe(200);
    expect(seen).toEqual(["UALICE", "UBOB", "UALICE"]);
    expect(r.slack.callsTo("auth.test")).toHaveLength(1);
  });

  it("answers in the acknowledgement when the answer is ready in time, else right after it", async () => {
    const c = await commandRig();
    const quick = await c.command("status", "URESP");
    expect(JSON.parse(quick.acknowledgement)).toMatchObject({
      response_type: "ephemeral",
      text: "mcp-activity is healthy",
    });
    expect(c.slack.responses.map((r) => r.via)).toEqual(["ack"]);

    c.slack.failNext("users.info", { delayMs: ANSWER_IN_ACK_MS + 500 });
    const slow = await c.command("user:me since:1d", "UALICE");
    expect(slow).toMatchObject({ status: 200, acknowledgement: "" });
    expect(await slow.body()).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
      text: "30 MCP calls · 1 person · 2 tools · 1 site",
    });
    expect(c.slack.responses.map((r) => r.via)).toEqual(["ack", "response_url"]);
  });

  it("answers a responder's query about a person, ephemerally, with tools and resources", async () => {
    const c = await commandRig();
    const { body, text } = await c.ask("user:alice@example.com since:1d");
    expect(body.response_type).toBe("ephemeral");
    expect(text).toContain("30 MCP calls · 1 person · 2 tools · 1 site");
    expect(text).toContain("read 20 · write 10");
    expect(text).toContain("*Top tools*\\n20 · getJiraIssue\\n10 · createJiraIssue");
    expect(text).toContain("OPS-0");
    expect(text).not.toContain("deleteJiraIssue");
    expect(text).not.toContain("still reading the audit log");
    expect(c.logs.text()).toContain('"query":"user:alice@example.com since:1d"');
    expect(c.logs.text()).not.toContain("OPS-0");
  });

  it("keeps each section of the latest events within Slack's limit when titles and names are long", async () => {
    const c = await commandRig();
    const base = normalizedEvent();
    const title =
      "Quarterly planning notes for the platform team, to read before the offsite ".repeat(3);
    new EventStore(c.db).insertMany(
      Array.from({ length: 12 }, (_, i) => ({
        ...base,
        id: `long-${i}`,
        time: T0 - i * MINUTE,
        userId: "acc-carol",
        userEmail: "carol@example.com",
        userName: "Alexandra Catherine Montgomery-Smithson (Platform Engineering, Berlin)",
        tool: "getConfluencePage",
        resource: `${title}(${i})`,
        siteHost: "acme-engineering-wiki.atlassian.net",
      })),
      T0,
    );
    const { body } = await c.ask("user:carol@example.com since:1d");
    const blocks = (body as { blocks: unknown[] }).blocks;
    expect(blockErrors(blocks, 50)).toEqual([]);
    const latest = blocks
      .map((b) => (b as { text?: { text?: string } }).text?.text ?? "")
      .filter((t) => t.includes("getConfluencePage"));
    expect(latest.length).toBeGreaterThan(1); // in more than one section
    const shown = latest
      .join("\n")
      .split("\n")
      .filter((l) => l.includes("getConfluencePage"));
    expect(shown).toHaveLength(12);
  });

  it("looks each asker up once in five minutes, however many questions they send", async () => {
    const c = await commandRig();
    const infos = () => c.slack.callsTo("users.info").length;
    const before = infos();
    for (let i = 0; i < 5; i++) await c.ask("user:me since:1d", "UALICE");
    await c.ask("user:alice@example.com since:1d");
    const burst = infos() - before;
    // Alice, the responder, and whether each may respond: one look-up each, shared.
    expect(burst).toBe(2);
    c.clock.advance(6 * MINUTE);
    await c.ask("user:me since:1d", "UALICE");
    expect(infos() - before).toBe(3);
  });

  it("asks which person a name means when it may mean several, escaping their names", async () => {
    const c = await commandRig();
    const base = normalizedEvent();
    new EventStore(c.db).insertMany(
      [
        {
          ...base,
          id: "bm-1",
          userId: "acc-bm",
          userName: "Bob Marley",
          userEmail: "bm@x.example",
        },
      ],
      T0,
    );
    const { text } = await c.ask("user:bob since:1d");
    expect(text).toContain(
      "`user:bob` may be any of these people; ask again with the e-mail (or account id)",
    );
    expect(text).toContain("Bob Marley — bm@x.example");
    expect(text).toContain("Bob &lt;!channel&gt; — bob@example.com");
    expect(text).not.toContain("<!channel>");
    // Meaning one person, the name is taken.
    expect((await c.ask("user:alice since:1d")).text).toContain("30 MCP calls · 1 person");
  });

  it("pages on with Show more, and refuses a tampered page value", async () => {
    const c = await commandRig();
    const { body } = await c.ask("user:alice@example.com limit:10");
    const more = buttons(body).find((b) => b.action_id === "query_more");
    expect(more).toBeDefined();
    const latest = (text: string) => /\*Latest\*\\n[^|]*\|([^>]*)>/.exec(text)?.[1];
    expect(latest(JSON.stringify(body))).toBe("2026-11-04 10:00 UTC");
    const next = await c.click("query_more", more?.value ?? "");
    expect(latest(next)).toBe("2026-11-04 09:50 UTC");
    expect(await c.click("query_more", '{"v":1,"q":"x","b":"DROP TABLE"}')).toContain(
      "That button has expired",
    );
    expect(
      await c.click(
        "query_more",
        '{"v":1,"q":"user:bob@example.com","b":{"time":1,"seq":1},"x":1}',
      ),
    ).toContain("That button has expired");
    expect(await c.click("query_more", "not json")).toContain("That button has expired");
    // A long question's buttons work as long as Slack takes their value (2,000 characters).
    const countries = Array.from({ length: 15 }, (_, i) => `${"x".repeat(80)}${i}`).join(",");
    const long = await c.ask(`user:alice@example.com limit:10 site:${countries},acme`);
    const longMore = buttons(long.body).find((b) => b.action_id === "query_more");
    expect(longMore?.value.length).toBeGreaterThan(1600);
    expect(latest(await c.click("query_more", longMore?.value ?? ""))).toBe("2026-11-04 09:50 UTC");
  });

  it("exports the matching events as a CSV file to the asker", async () => {
    const c = await commandRig();
    const text = (await c.ask("user:alice@example.com format:csv")).text;
    expect(text).toContain("in your direct messages");
    const upload = c.slack.uploads[0];
    expect(upload?.completed).toBe(true);
    expect(upload?.channel_id).toBe(c.slack.dmChannel("URESP"));
    const csv = upload?.bytes.toString("utf8") ?? "";
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(31);
    expect(csv).toContain("alice@example.com,createJiraIssue,write");
  });

  it("Show more and Export CSV pressed after the asker's midnight act on the answer shown", async () => {
    const c = await commandRig();
    // 23:50 in Berlin (the responder's zone) on 4 November: Alice's 30 calls were that morning.
    c.clock.advance(Date.UTC(2026, 10, 4, 22, 50) - c.clock.now());
    const { body, text } = await c.ask("user:alice@example.com since:today limit:10");
    expect(text).toContain("30 MCP calls");
    const more = buttons(body).find((b) => b.action_id === "query_more");
    const exported = buttons(body).find((b) => b.action_id === "query_export");
    c.clock.advance(20 * MINUTE); // 00:10 in Berlin, 5 November: "today" is another day now
    expect(await c.click("query_more", more?.value ?? "")).toContain("30 MCP calls");
    expect(await c.click("query_export", exported?.value ?? "")).toContain("(30 rows");
    // A button made before answers kept their time: the click's own.
    const old = JSON.stringify({ v: 1, q: "user:alice@example.com since:today limit:10" });
    expect(await c.click("query_more", old)).toContain("No MCP activity");
  });

  it("caps an export's rows, saying so, and prepares one export per person at a time", async () => {
    const c = await commandRig(10);
    c.slack.failNext(UPLOAD_ROUTE, { delayMs: 600 });
    const first = c.ask("user:alice@example.com format:csv");
    await c.slack.waitFor(() => c.slack.callsTo("files.getUploadURLExternal").length === 1);
    const second = await c.ask("user:alice@example.com format:csv");
    expect(second.text).toContain("Your last question is still being answered (an export arrives");
    const done = (await first).text;
    expect(done).toContain("10 rows");
    expect(done).toContain("It stops at 10 rows: narrow the query for the rest.");
    expect(c.slack.uploads).toHaveLength(1);
    const csv = c.slack.uploads[0]?.bytes.toString("utf8") ?? "";
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toContain("More events matched than one export holds (10 rows)");
    // Done: the next one is taken.
    expect((await c.ask("user:alice@example.com format:csv")).text).toContain("10 rows");
  });

  it("lets everyone ask about themselves, and nobody else", async () => {
    const c = await commandRig();
    expect((await c.ask("user:me since:1d", "UALICE")).text).toContain("30 MCP calls");
    expect((await c.ask("user:alice@example.com", "UALICE")).text).toContain("30 MCP calls");
    const refused = (await c.ask("user:bob@example.com", "UALICE")).text;
    expect(refused).toContain("You can ask about your own activity");
    expect(refused).toContain(`ask the members of <#${CHANNEL}>`);
    expect((await c.ask("since:1d", "UALICE")).text).toContain(
      "You can ask about your own activity",
    );
  });

  it("maps a Slack mention to the person's e-mail", async () => {
    const c = await commandRig();
    const text = (await c.ask("user:<@UBOB|bob>")).text;
    expect(text).toContain("1 MCP call · 1 person");
    expect(text).toContain("Bob &lt;!channel&gt;");
    expect(text).not.toContain("<!channel>");
  });

  // The manifest has Slack escape the command's text: a mention arrives as the person's id, an
  // address and a site as links, in quotes too (Slack knows no quotes).
  it("reads a mention, an address and a site as Slack sends them escaped", async () => {
    const c = await commandRig();
    c.slack.addUser({ id: "UALI", name: "ali", email: "alice@example.com", tz: "UTC" });
    for (const text of [
      "user:<@UALI|ali>",
      "user:<mailto:alice@example.com|alice@example.com>",
      'user:"<mailto:alice@example.com|alice@example.com>"',
      "user:<@UALI|ali> site:<http://acme.atlassian.net|acme.atlassian.net>",
      'user:<@UALI|ali> site:"<http://acme.atlassian.net|acme.atlassian.net>"',
    ])
      expect((await c.ask(text)).text, text).toContain("30 MCP calls · 1 person");
    // Her own mention, asked by her: herself.
    expect((await c.ask("user:<@UALICE|alice>", "UALICE")).text).toContain("30 MCP calls");
  });

  it("answers help, an empty command, status and settings", async () => {
    const c = await commandRig();
    expect((await c.ask("")).text).toContain("what AI tools did in Atlassian");
    expect((await c.ask("help")).text).toContain("`user:` name, e-mail");
    const status = (await c.ask("status")).text;
    expect(status).toContain("quarantined events: 3");
    expect(status).toContain("`rovo_mcp_tool_called`");
    const settings = (await c.ask("settings")).text;
    expect(settings).toContain("Rovo → Rovo MCP server → Permissions");
    expect(settings).toContain("https://admin.atlassian.com/o/org-1/");
    expect(settings).toContain("Write tools were used 10 times on 1 site in the last");
    expect((await c.ask("settings api-tokens")).text).toContain("API-token authentication");
    expect((await c.ask("settings tokens")).text).toContain("unknown settings topic");
  });

  it("shows someone not a responder the settings alone: no figure, posture or id of the organization", async () => {
    const c = await commandRig(undefined, { apiTokenAuth: "off" });
    const text = (await c.ask("settings", "UALICE")).text;
    expect(text).toContain("Rovo → Rovo MCP server → Permissions");
    expect(text).toContain("https://admin.atlassian.com/");
    expect(text).toContain("Responders also see why each setting matters now");
    expect(text).not.toContain("org-1");
    expect(text).not.toContain("Write tools were used");
    expect(text).not.toContain("Declared posture");
    expect((await c.ask("settings api-tokens", "UALICE")).text).toContain(
      "API-token authentication",
    );
  });

  it("shows the declared posture beside the week's calls, control by control", async () => {
    const declared = await commandRig(undefined, {
      apiTokenAuth: "off",
      destructiveTools: "off",
      products: { jira: ["read", "search"] },
      sites: ["acme.atlassian.net"],
    });
    const text = (await declared.ask("settings")).text;
    expect(text).toContain("Declared posture versus the last 7 days");
    expect(text).toContain(
      "✅ *API-token authentication* — declared: off · observed: 0 calls with an API token",
    );
    expect(text).toContain(
      "⚠️ *destructive tools* — declared: off · observed: 1 destructive or admin call",
    );
    expect(text).toContain(
      "⚠️ *jira* — declared: read, search · observed: read 20, write 10, destructive 1",
    );
    expect(text).toContain(
      "✅ *sites* — declared: acme.atlassian.net · observed: acme.atlassian.net 31",
    );
    expect(text).toContain("check _Rovo → Rovo MCP server → Permissions_");
    const undeclared = (await (await commandRig()).ask("settings")).text;
    expect(undeclared).toContain("No posture declared");
    expect(undeclared).toContain(
      "▫️ *destructive tools* — declared: not declared · observed: 1 destructive or admin call",
    );
    expect((await declared.ask("settings api-tokens")).text).not.toContain("Declared posture");
  });

  it("answers a bad query with the problem, a suggestion and examples", async () => {
    const c = await commandRig();
    const text = (await c.ask("usr:bob since:7x")).text;
    expect(text).toContain("usr");
    expect(text).toContain("user:");
    expect(text).toContain("For example");
    // A person mentioned without user:, and status with more after it: said, not "no activity".
    const mention = (await c.ask("<@UBOB|bob> since:7d")).text;
    expect(mention).toContain(
      "alone is looked for as a word: to ask about a person, put user: before it",
    );
    expect(mention).toContain("did you mean user:&lt;@UBOB|bob&gt;?");
    expect((await c.ask("@bob")).text).toContain("did you mean user:@bob?");
    expect((await c.ask('"@bob"')).text).toContain("No MCP activity matches"); // quoted: a word
    expect((await c.ask("status now")).text).toContain("status takes nothing after it");
  });

  it("answers 200 characters of garbage cleanly", async () => {
    const c = await commandRig();
    const garbage = `"<>&:\u0000::"\u202e${"ä:::b\"c'".repeat(24)}`;
    const { body } = await c.ask(garbage.slice(0, 200));
    expect(body.response_type).toBe("ephemeral");
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|Error:|stack/i);
  });
});
