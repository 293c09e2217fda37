/**
 * API-token MCP calls that name only Alice's e-mail are her account's (as the responders' Home,
 * the digest and the rules count them): her own Home counts them, and her Not me raises an alert
 * about them, `rule:mcp-not-me` finding every one. The real Bolt app, signed events and clicks,
 * the fake Slack, a real SQLite file.
 */
import { expect, it } from "vitest";
import { parseQuery } from "../../../src/query/parse.js";
import { runActivity, toFilter } from "../../../src/query/run.js";
import { HOUR } from "../../../src/time-units.js";
import { ALICE, BOB, homeRig, RESPONDER } from "./home-rig.js";

const token = (time: number, more: object = {}) => ({
  time,
  userId: null,
  actorId: null,
  userEmail: "alice@example.com",
  actorEmail: "alice@example.com",
  userName: null,
  actorName: null,
  authKind: "api-token" as const,
  authType: "api-token",
  clientApp: null,
  ...more,
});

it("Alice's Home and Not me count the token calls naming her e-mail, as the responders' Home does", async () => {
  const r = await homeRig();
  const now = r.clock.now();
  r.activity([
    { time: now - 5 * HOUR }, // acc-alice, alice@example.com, OAuth
    token(now - 3 * HOUR),
    token(now - 2 * HOUR, { tool: "deleteJiraIssue", toolClass: "destructive" }),
  ]);
  await r.openHome(RESPONDER);
  const responder = await r.homeOf(RESPONDER);
  expect(responder.text).toContain("People *1*");
  expect(responder.text).toContain("3  Alice Example");

  await r.openHome(ALICE);
  const mine = await r.homeOf(ALICE);
  expect(mine.text).toContain("*3 calls* in the last 7 days");
  expect(mine.text).toContain("1 destructive or admin call");
  expect(mine.text).toContain("deleteJiraIssue (1)");

  const today = new Date(now).toISOString().slice(0, 10);
  await r.homeClick("home_not_me", ALICE, `${today}|org-1`);
  expect((await r.homeOf(ALICE, 2)).text).toContain("the security team has been told");
  const [alert] = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
  expect(alert?.eventCount).toBe(3);
  expect(alert?.tools).toContain("deleteJiraIssue");

  const parsed = parseQuery("rule:mcp-not-me since:1d", { now, timeZone: "UTC" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const store = r.stores.activity;
  const answer = await runActivity(store, toFilter(parsed.query, store, [], "org-1"), 20);
  expect(answer.summary.calls).toBe(3);
});

it("a day of token calls alone is shown and may be denied", async () => {
  const r = await homeRig();
  const now = r.clock.now();
  r.activity([{ time: now - 3 * 24 * HOUR }, token(now - 2 * HOUR), token(now - HOUR)]);
  await r.openHome(ALICE);
  expect((await r.homeOf(ALICE)).text).toContain("*3 calls* in the last 7 days");
  const today = new Date(now).toISOString().slice(0, 10);
  await r.homeClick("home_not_me", ALICE, `${today}|org-1`);
  const after = (await r.homeOf(ALICE, 2)).text;
  expect(after).not.toContain("No AI-tool activity with your account is recorded then");
  expect(after).toContain("the security team has been told");
  const [alert] = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
  expect([alert?.userId, alert?.eventCount]).toEqual(["acc-alice", 2]);
});

it("someone whose calls all name their e-mail and no account is shown them, and may deny them once", async () => {
  const r = await homeRig();
  const now = r.clock.now();
  const bob = { userEmail: "bob@example.com", actorEmail: "bob@example.com" };
  r.activity([token(now - 2 * HOUR, bob), token(now - HOUR, bob)]);
  await r.openHome(BOB);
  const home = (await r.homeOf(BOB)).text;
  expect(home).toContain("*2 calls* in the last 7 days");
  expect(home).not.toContain("No AI-tool activity");
  const today = new Date(now).toISOString().slice(0, 10);
  await r.homeClick("home_not_me", BOB, `${today}|org-1`);
  expect((await r.homeOf(BOB, 2)).text).toContain("the security team has been told");
  const [alert] = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
  expect([alert?.userId, alert?.userEmail, alert?.eventCount]).toEqual([
    null,
    "bob@example.com",
    2,
  ]);
  await r.homeClick("home_not_me", BOB, `${today}|org-1`);
  expect((await r.homeOf(BOB, 3)).text).toContain("You said so already");
  expect(r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me")).toHaveLength(1);
});
