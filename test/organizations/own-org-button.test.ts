/**
 * Someone asks about themselves (`user:me`) with several organizations watched: the answer is
 * about an organization where they made calls. Its Show more and Export CSV buttons act on the
 * answer shown, that organization, after they made calls in one listed before it too; while it is
 * watched and they may still see it there, else the button says it expired and what to ask.
 */
import { expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import type { FakeMessage } from "../fakes/slack-api.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { until } from "../helpers/until.js";
import {
  blockAction,
  buttonValue,
  command,
  mcpCall,
  RESPONDER,
  type Rig,
  startRig,
} from "./rig.js";

const CAROL = "U0CAROL";
const message = { ts: "1.1", text: "" } as FakeMessage;
let replies = 0;

/** Clicks a button of an answer; its reply (to the response URL) as JSON. */
async function click(r: Rig, user: string, actionId: string, value: string): Promise<string> {
  const id = `reply-${++replies}`;
  await r.send("interactive", blockAction(r.slack, user, actionId, value, id, { message }));
  await until(() => r.slack.responses.some((x) => x.id === id), `the reply to ${actionId}`, 15_000);
  return JSON.stringify(r.slack.responses.find((x) => x.id === id)?.body);
}

/** Asks `text` as `user`: the answer, and its buttons' values. */
async function ask(r: Rig, user: string, text: string) {
  const answer = await r.send("slash_commands", command(text, user));
  const shown = answer.payload as unknown as FakeMessage;
  return {
    said: JSON.stringify(answer.payload),
    more: buttonValue(shown, "query_more") as string,
    export: buttonValue(shown, "query_export") as string,
  };
}

it("the buttons of a user:me answer stay on its organization, or say they expired", async () => {
  const r = await startRig();
  closeAfterTest(() => r.close());
  const [alpha, beta] = r.sims as [Simulator, Simulator, Simulator];
  r.slack.addUser({ id: CAROL, name: "carol", email: "carol@example.com" });
  const carolCall = (sim: Simulator, id: string, email = "carol@example.com") =>
    mcpCall(sim, id, "Carol", "getJiraIssue", "acc-carol", email);
  const mine = (sim: Simulator, id: string) =>
    mcpCall(sim, id, "Responder", "getJiraIssue", "acc-resp", "responder@example.com");
  beta.injectEvents([carolCall(beta, "b-c1"), carolCall(beta, "b-c2"), mine(beta, "b-r1")]);
  beta.injectEvents([mine(beta, "b-r2")]);
  await until(() => r.alertsOf("Carol").length >= 1, "Beta's alert about Carol", 30_000);

  // Carol, not a responder, and the responder: each made calls in Beta only.
  const carols = await ask(r, CAROL, "user:me since:1d limit:1");
  expect(carols.said).toContain("MCP activity in Beta");
  const responders = await ask(r, RESPONDER, "user:me since:1d limit:1");
  expect(responders.said).toContain("MCP activity in Beta");
  expect(JSON.parse(carols.more)).toMatchObject({ v: 2, o: "org-beta" });

  // Then each makes a call in Alpha, listed first: asked again, they are answered about Alpha.
  alpha.injectEvents([carolCall(alpha, "a-c1"), mine(alpha, "a-r1")]);
  await until(() => r.alertsOf("Carol").length >= 2, "Alpha's alert about Carol", 30_000);
  expect((await ask(r, CAROL, "user:me since:1d limit:1")).said).toContain(
    "MCP activity in Alpha (you made MCP calls in Beta too",
  );

  // Their buttons still act on Beta's answer.
  expect(await click(r, CAROL, "query_more", carols.more)).toContain(
    "MCP activity in Beta (you made MCP calls in Alpha too",
  );
  expect(await click(r, RESPONDER, "query_more", responders.more)).toContain(
    "MCP activity in Beta (you made MCP calls in Alpha too",
  );
  await click(r, CAROL, "query_export", carols.export);
  await until(() => r.slack.uploads.some((u) => u.completed), "the CSV", 20_000);
  const upload = r.slack.uploads.find((u) => u.completed);
  expect(upload?.filename).toMatch(/^mcp-activity-org-beta-/);
  expect(upload?.bytes.toString()).toContain("b-c1");
  expect(upload?.bytes.toString()).not.toContain("a-c1");

  // A button made before buttons kept their organization cannot tell which it was about.
  const old = JSON.stringify({ v: 1, q: "user:me since:1d limit:1" });
  const oldReply = await click(r, CAROL, "query_more", old);
  expect(oldReply).toContain("That button has expired: it was made by an earlier version");
  expect(oldReply).toContain("Ask again: `/mcp-activity user:me since:1d limit:1`");
  // An answer that named no organization: made while one was watched, or to someone who had made
  // no calls (who has some now).
  const unnamed = JSON.stringify({ v: 2, q: "user:me since:1d limit:1" });
  expect(await click(r, RESPONDER, "query_more", unnamed)).toContain(
    "That button has expired: it was made while one organization was watched",
  );
  expect(await click(r, CAROL, "query_more", unnamed)).toContain(
    "That button has expired: your MCP activity is no longer where its answer found it",
  );
  // An organization no longer watched: a responder is told which.
  const gone = JSON.stringify({ ...JSON.parse(responders.more), o: "org-gone" });
  expect(await click(r, RESPONDER, "query_more", gone)).toContain(
    "That button has expired: the organization its answer was about (org-gone) is no longer watched",
  );

  // Carol's Beta account takes another address: Beta's activity is no longer hers to see.
  beta.injectEvents([carolCall(beta, "b-c3", "carol@elsewhere.example")]);
  await until(
    async () => {
      const { said } = await ask(r, CAROL, "user:me since:1d limit:1");
      return said.includes("MCP activity in Alpha") && !said.includes("Beta too");
    },
    "Carol's Beta account with another address",
    30_000,
    500,
  );
  for (const [actionId, value] of [
    ["query_more", carols.more],
    ["query_export", carols.export],
  ] as const) {
    const reply = await click(r, CAROL, actionId, value);
    expect(reply).toContain(
      "That button has expired: your MCP activity is no longer where its answer found it",
    );
    expect(reply).not.toContain("Beta");
  }
  expect(r.slack.uploads.filter((u) => u.completed)).toHaveLength(1);
}, 120_000);
