/**
 * Questions and exports without `org:` when two organizations are watched: whose activity they
 * are, said in the answer and the file. Real Bolt, signed requests, the fake Slack Web API on
 * 127.0.0.1, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { EventStore } from "../../../src/store/events.js";
import { MINUTE } from "../../../src/time-units.js";
import { normalizedEvent } from "../../detect/fixtures.js";
import { RESPONDER, twoOrgCommands } from "./two-orgs-rig.js";

/** The two organizations (org-1 Acme, org-2 Umbrella) with these calls, their first polls done. */
async function withCalls(events: Array<Partial<NormalizedEvent>>) {
  const r = await twoOrgCommands();
  const now = r.clock.now();
  const base = normalizedEvent();
  const calls = events.map((e, i) => ({
    ...base,
    id: `e-${i}`,
    time: now - (i + 1) * MINUTE,
    ...e,
  }));
  new EventStore(r.db).insertMany(calls, now);
  for (const orgId of ["org-1", "org-2"]) {
    const polled = { orgId, cursor: null, lastProcessedAt: now, backfillFrom: null };
    r.stores.pollStates.save({ ...polled, backfillUntil: now, backfillDone: true }, now);
  }
  const ask = async (text: string, user: string) =>
    JSON.stringify(await (await r.command(text, user)).body());
  return { ...r, ask };
}

const alice = { userId: "acc-alice", userName: "Alice", userEmail: "alice@example.com" };

describe("someone asking about themselves, without org:", () => {
  it("is answered about the organization where they made calls, not the first one silently", async () => {
    const r = await withCalls([
      { ...alice, orgId: "org-2", tool: "deleteJiraIssue", toolClass: "destructive" },
    ]);
    const answer = await r.ask("user:me since:1d", "UALICE");
    expect(answer).toContain("MCP activity in Umbrella");
    expect(answer).toContain("deleteJiraIssue");
  });

  it("names the other organizations where they made calls", async () => {
    const r = await withCalls([
      { ...alice, orgId: "org-1" },
      { ...alice, orgId: "org-2" },
    ]);
    const answer = await r.ask("user:me since:1d", "UALICE");
    expect(answer).toContain(
      "MCP activity in Acme (you made MCP calls in Umbrella too; add org: for another)",
    );
  });

  it("names no organization when they made no call in any", async () => {
    const r = await withCalls([{ userId: "acc-bob", userEmail: "bob@example.com" }]);
    const answer = await r.ask("user:me since:1d", "UALICE");
    expect(answer).toContain("No MCP activity matches");
    expect(answer).not.toContain("Acme");
    expect(answer).not.toContain("Umbrella");
  });
});

describe("a responder asking about themselves, without org:", () => {
  const responder = { userId: "acc-resp", userName: "Resp", userEmail: "resp@example.com" };

  it("is answered about the organization where they made calls, not the first", async () => {
    const r = await withCalls([{ ...responder, orgId: "org-2", tool: "deleteJiraIssue" }]);
    for (const text of ["user:me since:1d", `user:<@${RESPONDER}> since:1d`]) {
      const answer = await r.ask(text, RESPONDER);
      expect(answer, text).toContain("MCP activity in Umbrella · ");
      expect(answer, text).toContain("deleteJiraIssue");
    }
  });

  it("is answered about the first organization, said so, when they made no call in any", async () => {
    const r = await withCalls([{ ...alice, orgId: "org-2" }]);
    const answer = await r.ask("user:me since:1d", RESPONDER);
    expect(answer).toContain(
      "MCP activity in Acme (the first of 2 organizations; add org: for another)",
    );
  });

  it("about someone else too, is answered about the first organization", async () => {
    const r = await withCalls([
      { ...responder, orgId: "org-2" },
      { ...alice, orgId: "org-1" },
    ]);
    const answer = await r.ask("user:me user:alice@example.com since:1d", RESPONDER);
    expect(answer).toContain(
      "MCP activity in Acme (the first of 2 organizations; add org: for another)",
    );
  });
});

describe("a responder's CSV export without org:", () => {
  it("says whose rows the file holds, in the reply, the comment and the file's name", async () => {
    const r = await withCalls([{ ...alice, orgId: "org-1" }]);
    const reply = await r.ask("since:1d format:csv", RESPONDER);
    expect(reply).toContain("The CSV of MCP activity in Acme (the first of 2 organizations");
    const [file] = r.slack.uploads;
    expect(file?.filename).toMatch(/^mcp-activity-org-1-\d{4}-\d\d-\d\d\.csv$/);
    expect(file?.initial_comment).toContain("MCP activity in Acme");
  });
});
