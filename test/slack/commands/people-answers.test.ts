import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { EventStore } from "../../../src/store/events.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { commandRig } from "./command-rig.js";

/** A responder's signed `/mcp-activity` through the real Bolt app, on these stored events. */
async function rig(events: Array<Partial<NormalizedEvent>>) {
  const r = await commandRig(events);
  const ask = async (text: string, user = "URESP") => {
    const sent = await r.command(text, user);
    expect(sent.status).toBe(200);
    return JSON.stringify(await sent.body());
  };
  return Object.assign(ask, { slack: r.slack });
}

describe("/mcp-activity about people", () => {
  it("does not count someone whose display name is another person's e-mail as that person", async () => {
    const ask = await rig([
      { userId: "acc-ceo", userName: "Chief Exec", userEmail: "ceo@example.com" },
      {
        userId: "acc-mallory",
        userName: "ceo@example.com",
        userEmail: "mallory@evil.example",
        tool: "deleteJiraIssue",
        toolClass: "destructive",
      },
    ]);
    const answer = await ask("user:ceo@example.com since:1d");
    expect(answer).toContain("1 MCP call · 1 person");
    expect(answer).not.toContain("deleteJiraIssue");
  });

  it("shows someone asking about themselves nothing of an account that gave their address up", async () => {
    const carol = { userId: "acc-carol", actorId: "acc-carol", userName: "Carol Secret" };
    const ask = await rig([
      // acc-carol had alice@example.com once; it is carol's now. Alice is someone else.
      { ...carol, time: T0 - 20 * DAY, userEmail: "alice@example.com" },
      { ...carol, userEmail: "carol@example.com", tool: "getConfluencePage", resource: "HR-42" },
    ]);
    const answer = await ask("user:me since:30d", "UALICE");
    expect(answer).toContain("No MCP activity matches");
    expect(answer).not.toContain("getConfluencePage");
  });

  it("shows nothing of an account that gave their address up when the window ends before it did", async () => {
    const carol = { userId: "acc-carol", actorId: "acc-carol", userName: "Carol Secret" };
    const ask = await rig([
      { ...carol, userEmail: "carol@example.com" },
      // 20 days ago acc-carol had alice@example.com and read HR-42; it is carol's now.
      { ...carol, time: T0 - 20 * DAY, userEmail: "alice@example.com", resource: "HR-42" },
    ]);
    // A window ending ten days ago, when acc-carol's newest call had Alice's address.
    const answer = await ask("user:me since:30d until:10d", "UALICE");
    expect(answer).toContain("No MCP activity matches");
    expect(answer).not.toContain("HR-42");
    expect(answer).not.toContain("Carol Secret");
  });

  it("takes a mention's e-mail only when it may say who they are: not another company's, not unconfirmed", async () => {
    const ceo = { userId: "acc-ceo", userName: "Chief Exec", userEmail: "ceo@example.com" };
    const ask = await rig([{ ...ceo, tool: "deleteJiraIssue", toolClass: "destructive" }]);
    // Slack Connect: another company set its member's address to the CEO's; and someone of this
    // workspace whose address Slack says was never confirmed.
    const claims = { email: "ceo@example.com", tz: "UTC" };
    ask.slack.addUser({ id: "UEXT", name: "vendor", team_id: "T-OTHER", ...claims });
    ask.slack.addUser({ id: "UNEW", name: "newbie", is_email_confirmed: false, ...claims });
    for (const mention of ["<@UEXT|vendor>", "<@UNEW|newbie>"]) {
      const answer = await ask(`user:${mention} since:1d`);
      expect(answer).not.toContain("deleteJiraIssue");
      expect(answer).toContain("ask with their Atlassian e-mail or account id");
    }
    // Someone who left (deactivated in Slack) is still who their address says.
    ask.slack.addUser({ id: "ULEFT", name: "ceo", deleted: true, ...claims });
    expect(await ask("user:<@ULEFT|ceo> since:1d")).toContain("deleteJiraIssue");
  });

  it("asks which person is meant when two share a display name", async () => {
    const ask = await rig([
      { userId: "acc-js1", userName: "John Smith", userEmail: "john.smith@example.com" },
      { userId: "acc-js2", userName: "John Smith", userEmail: "jsmith@contractor.example" },
    ]);
    const answer = await ask('user:"John Smith" since:1d');
    expect(answer).toContain("may be any of these people");
    expect(answer).toContain("jsmith@contractor.example");
    expect(answer).not.toContain("MCP calls ·");
  });

  it("answers about the account that has an address now, naming the one that had it before", async () => {
    const old = { userId: "acc-old", actorId: "acc-old", userName: "Sam Old" };
    const ask = await rig([
      // acc-old had sam@example.com twenty days ago, and is sam.old@example.com now.
      { ...old, time: T0 - 20 * DAY, userEmail: "sam@example.com", resource: "HR-42" },
      { ...old, userEmail: "sam.old@example.com" },
      // acc-new has sam@example.com now, and deleted an issue.
      {
        userId: "acc-new",
        actorId: "acc-new",
        userName: "Sam New",
        userEmail: "sam@example.com",
        tool: "deleteJiraIssue",
        toolClass: "destructive",
      },
    ]);
    const answer = await ask("user:sam@example.com since:30d");
    expect(answer).not.toContain("may be any of these people");
    expect(answer).toContain("1 MCP call · 1 person");
    expect(answer).toContain("deleteJiraIssue");
    expect(answer).not.toContain("HR-42");
    expect(answer).toContain(
      "`user:sam@example.com` is Sam New (account `acc-new`), who has that address now. It was also the address of Sam Old (account `acc-old`, sam.old@example.com now): their calls are not in this answer; ask with `user:acc-old`.",
    );
    // As told: the one who had it before, by account id.
    const before = await ask("user:acc-old since:30d");
    expect(before).toContain("HR-42");
    expect(before).not.toContain("deleteJiraIssue");
  });

  it("does not say a former holder's calls are left out when the question asks about them too", async () => {
    const old = { userId: "acc-old", actorId: "acc-old", userName: "Sam Old" };
    const ask = await rig([
      { ...old, time: T0 - 20 * DAY, userEmail: "sam@example.com", resource: "HR-42" },
      { ...old, userEmail: "sam.old@example.com" },
      { userId: "acc-new", actorId: "acc-new", userName: "Sam New", userEmail: "sam@example.com" },
    ]);
    // As the note told: the address's holder now, and the one that had it before.
    const answer = await ask("user:sam@example.com user:acc-old since:30d");
    expect(answer).toContain("HR-42"); // acc-old's calls are in this answer
    expect(answer).toContain("Sam New");
    expect(answer).not.toContain("It was also the address of");
  });

  it("keeps whom an address means on Show more: an account that took it up after the answer is no former holder", async () => {
    const old = { userId: "acc-old", actorId: "acc-old", userName: "Sam Old" };
    const r = await commandRig([1, 2, 3].map(() => ({ ...old, userEmail: "sam@example.com" })));
    const answer = async (sent: { body: () => Promise<unknown> }) =>
      JSON.stringify(await sent.body());
    const first = await answer(await r.command("user:sam@example.com limit:1", "URESP"));
    expect(first).not.toContain("It was also the address of");
    const more = /"action_id":"query_more".*?"value":"((?:[^"\\]|\\.)*)"/.exec(first)?.[1];
    expect(more).toBeDefined();
    // After the first page, a new account makes its first call with the address.
    new EventStore(r.db).insertMany(
      [
        {
          ...normalizedEvent(),
          id: "new-1",
          userId: "acc-new",
          actorId: "acc-new",
          userName: "Sam New",
          userEmail: "sam@example.com",
          time: r.clock.now() + MINUTE,
        },
      ],
      r.clock.now(),
    );
    r.clock.advance(5 * MINUTE);
    const next = await answer(await r.click("query_more", "URESP", JSON.parse(`"${more}"`)));
    expect(next).toContain("Sam Old"); // the same person as the first page
    expect(next).not.toContain("It was also the address of");
    expect(next).not.toContain("Sam New");
  });

  it("lists the account ids of people an address may mean: two accounts that both have it", async () => {
    const ask = await rig([
      { userId: "acc-sam-1", userName: "Sam", userEmail: "sam@example.com" },
      { userId: "acc-sam-2", userName: "Sam", userEmail: "sam@example.com", resource: "WEB-7" },
    ]);
    const answer = await ask("user:sam@example.com since:1d");
    expect(answer).toContain("may be any of these people");
    expect(answer).toContain("• Sam — sam@example.com · account `acc-sam-1`");
    expect(answer).toContain("• Sam — sam@example.com · account `acc-sam-2`");
    // Each account id picks one.
    const second = await ask("user:acc-sam-2 since:1d");
    expect(second).toContain("1 MCP call · 1 person");
    expect(second).toContain("WEB-7");
  });

  it("lists an account that may be meant under the name and e-mail of its newest call", async () => {
    const robin = { userId: "acc-robin", actorId: "acc-robin" };
    const ask = await rig([
      { ...robin, userName: "Robin Adams", userEmail: "robin.adams@example.com" },
      // Ten days ago the account had another name and address (they sort after its new ones).
      { ...robin, time: T0 - 10 * DAY, userName: "Robin Zed", userEmail: "robin.zed@example.com" },
      { userId: "acc-robin2", userName: "Robin Other", userEmail: "robin@example.com" },
    ]);
    const answer = await ask("user:robin since:30d");
    expect(answer).toContain("may be any of these people");
    expect(answer).toContain("robin.adams@example.com");
    expect(answer).not.toContain("robin.zed@example.com");
    expect(answer).not.toContain("Robin Zed");
  });

  it("says a mistyped person is nobody stored, naming the nearest, rather than 'no activity'", async () => {
    const ask = await rig([{ userEmail: "alice@example.com" }]);
    const answer = await ask("user:alice@exmaple.com class:destructive since:30d");
    expect(answer).not.toContain("No MCP activity matches");
    expect(answer).toContain("No MCP calls by `user:alice@exmaple.com` are stored");
    expect(answer).toContain("Did you mean `user:alice@example.com`?");
  });

  it("offers the person a mistyped name before the @ is near, not anyone at the same domain", async () => {
    const ask = await rig([
      { userId: "acc-bob", userName: "Bob Builder", userEmail: "bob@example.com" },
    ]);
    const eve = await ask("user:eve@example.com since:1d");
    expect(eve).toContain("No MCP calls by `user:eve@example.com` are stored");
    expect(eve).not.toContain("Did you mean");
    expect(await ask("user:bobb@example.com since:1d")).toContain(
      "Did you mean `user:bob@example.com`?",
    );
  });

  it("says a key without its colon is looked for as a word", async () => {
    const ask = await rig([{ userEmail: "alice@example.com" }]);
    expect(await ask("user:alice@example.com since:1d")).toContain("1 MCP call");
    const answer = await ask("user:alice@example.com since 1d");
    expect(answer).not.toContain("No MCP activity matches");
    expect(answer).toContain("did you mean since:1d?");
  });

  it("shows admin calls in the split", async () => {
    const ask = await rig([
      { tool: "createJiraProject", toolClass: "admin" },
      { tool: "getJiraIssue", toolClass: "read" },
    ]);
    const answer = await ask("user:alice@example.com since:1d");
    expect(answer).toContain("*Split*\\nread 1 · admin 1");
  });
});
