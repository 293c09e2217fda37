/**
 * `/mcp-activity` through the real Bolt app on a seeded store: two organizations (org-1 "Acme",
 * org-2 "Umbrella"), a dozen people, read, search, write and destructive tools, three sites, 3,000
 * calls over three weeks; a responder in Berlin, one in New York, and Alice (not a responder) in
 * Tokyo.
 */
import { expect } from "vitest";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { WatchedOrgs } from "../../../src/organizations.js";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";
import { healthyStatus } from "./command-rig.js";

export const TOOLS = [
  ["getJiraIssue", "read", "jira"],
  ["searchJiraIssuesUsingJql", "search", "jira"],
  ["createJiraIssue", "write", "jira"],
  ["deleteJiraIssue", "destructive", "jira"],
  ["getConfluencePage", "read", "confluence"],
  ["updateConfluencePage", "write", "confluence"],
] as const;
export const SITES = ["acme.atlassian.net", "acme-eu.atlassian.net", "umbrella.atlassian.net"];
export const PEOPLE = Array.from({ length: 12 }, (_, i) => ({
  id: `acc-${i}`,
  name:
    ["Alice Example", "Bob Builder", "Çarol Ñúñez", "Dan Smith", "Eve Adams", "Frank Ocean"][
      i % 6
    ] + (i >= 6 ? ` ${i}` : ""),
  email: `${["alice", "bob", "carol", "dan", "eve", "frank"][i % 6]}${i >= 6 ? i : ""}@example.com`,
}));

/** The `i`th item of a list, going round it. */
function round<T>(list: readonly T[], i: number): T {
  const item = list[i % list.length];
  if (item === undefined) throw new Error("empty list");
  return item;
}

export async function queryRig() {
  const r = await slackRig();
  r.clock.advance(60 * MINUTE); // now: 11:00 UTC, an hour after T0
  r.slack.setMembers(CHANNEL, ["URESP", "UNY"]);
  r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "Europe/Berlin" });
  r.slack.addUser({ id: "UNY", name: "ny", email: "ny@example.com", tz: "America/New_York" });
  r.slack.addUser({ id: "UALICE", name: "alice", email: "alice@example.com", tz: "Asia/Tokyo" });
  const orgs = new WatchedOrgs(["org-1", "org-2"], (id) => (id === "org-1" ? "Acme" : "Umbrella"));
  const b = await boltApp(r, (app, responders) =>
    registerCommand(
      app,
      r.commandDeps({
        orgs,
        responders,
        status: healthyStatus,
      }),
    ),
  );
  const base = normalizedEvent();
  const events: NormalizedEvent[] = [];
  // 3,000 calls, one every 10 minutes back from now (three weeks), spread over people and tools.
  for (let i = 0; i < 3000; i++) {
    const p = round(PEOPLE, i);
    const [tool, toolClass, product] = round(TOOLS, i);
    events.push({
      ...base,
      orgId: i % 5 === 4 ? "org-2" : "org-1",
      id: `e-${i}`,
      time: r.clock.now() - 1000 - i * 10 * MINUTE,
      userId: p.id,
      userName: p.name,
      userEmail: p.email,
      actorId: p.id,
      actorName: p.name,
      actorEmail: p.email,
      tool,
      toolClass,
      product,
      siteHost: round(SITES, i),
      resource: `OPS-${i % 50}`,
      authKind: i % 7 === 0 ? "api-token" : "oauth",
      authType: i % 7 === 0 ? "api-token" : "auth-token-for-3LO",
    });
  }
  new EventStore(r.db).insertMany(events, r.clock.now());
  for (const orgId of ["org-1", "org-2"]) {
    const polled = { orgId, cursor: null, lastProcessedAt: T0, backfillFrom: null };
    r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
  }
  const ask = async (text: string, user = "URESP") => {
    const sent = await b.command(text, user);
    expect(sent.status).toBe(200);
    const body = await sent.body();
    return { body, text: JSON.stringify(body) };
  };
  return { ...r, ...b, ask, events, DAY };
}
