/**
 * `user:` finds people as the rules and the digest count them: an API-token call naming only an
 * e-mail is the account's whose calls carry that e-mail, else that of a person known by the e-mail
 * alone, whose calls and open alerts `user:` with the address finds. The real Bolt app on
 * 127.0.0.1, signed commands, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { commandRig } from "./command-rig.js";

/** An API-token call naming an e-mail and a name, and no account id. */
const token = (email: string, name: string): Partial<NormalizedEvent> => ({
  userId: null,
  actorId: null,
  userName: name,
  actorName: name,
  userEmail: email,
  actorEmail: email,
  tool: "deleteJiraIssue",
  toolClass: "destructive",
  authKind: "api-token",
  authType: "api-token",
});

const mallory = token("mallory@example.com", "Mallory Token");

const answer = async (r: Awaited<ReturnType<typeof commandRig>>, text: string, user: string) =>
  JSON.stringify(await (await r.command(text, user)).body());

describe("user: of someone whose calls name no account id", () => {
  it("finds their calls by e-mail", async () => {
    const r = await commandRig([mallory, mallory, { userName: "Alice Example" }]);
    const text = await answer(r, "user:mallory@example.com since:1d", "URESP");
    expect(text).not.toContain("No MCP calls by");
    expect(text).toContain("2 MCP calls");
    expect(text).not.toContain("Alice Example");
  });

  it("lists the open alerts about them", async () => {
    const r = await commandRig([mallory, mallory]);
    const now = r.clock.now();
    const seq = r.stores.events.maxSeq("org-1");
    r.stores.alerts.insert({
      orgId: "org-1",
      ruleId: "mcp-destructive",
      severity: "high",
      groupKey: "g|mallory",
      title: "deleteJiraIssue by Mallory Token",
      detail: {},
      userId: null,
      userName: "Mallory Token",
      userEmail: "mallory@example.com",
      authKind: "api-token",
      firstEventSeq: seq,
      lastEventSeq: seq,
      firstSeen: now - 3_600_000,
      lastSeen: now - 3_600_000,
      eventCount: 2,
      tools: ["deleteJiraIssue"],
      late: false,
      suppressedBy: null,
      notify: true,
      createdAt: now - 3_600_000,
    });
    const text = await answer(r, "user:mallory@example.com since:1d", "URESP");
    expect(text).toContain("Open alerts for these people");
    expect(text).toContain("deleteJiraIssue by Mallory Token");
  });

  it("shows them their own calls when they ask about themselves", async () => {
    const mine = token("alice@example.com", "Alice Example");
    const r = await commandRig([mine, mine, { userId: "acc-bob", userEmail: "bob@example.com" }]);
    const text = await answer(r, "user:me since:1d", "UALICE");
    expect(text).toContain("2 MCP calls");
  });
});

describe("user: of an account whose API-token calls name only its e-mail", () => {
  it("counts those calls as the account's", async () => {
    const alice = {
      userId: "acc-alice",
      actorId: "acc-alice",
      userName: "Alice Example",
      userEmail: "alice@example.com",
    };
    const aliceToken = token("alice@example.com", "Alice Example");
    const r = await commandRig([alice, aliceToken, aliceToken]);
    for (const asked of ["user:alice@example.com", "user:acc-alice", `user:"Alice Example"`])
      expect(await answer(r, `${asked} since:1d`, "URESP"), asked).toContain("3 MCP calls");
    expect(await answer(r, "user:me since:1d", "UALICE")).toContain("3 MCP calls");
  });
});

describe("the people an answer counts", () => {
  it("are those the digest counts: by account, else e-mail, an account's e-mail as the account", async () => {
    const alice = { userId: "acc-alice", actorId: "acc-alice", userEmail: "alice@example.com" };
    const aliceToken = token("alice@example.com", "Alice Example");
    const r = await commandRig([mallory, mallory, alice, aliceToken]);
    expect(await answer(r, "auth:api-token since:1d", "URESP")).toContain("3 MCP calls · 2 people");
    expect(await answer(r, "since:1d", "URESP")).toContain("4 MCP calls · 2 people");
  });
});
