import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

/**
 * Atlassian logs only the first authorization of the MCP app in a site: a later person, or a
 * person's later AI tool, connecting leaves no trace but its first call. mcp-first-use catches a
 * new person; an AI tool (OAuth client app) no one in the organization ever used, connected by
 * someone who used MCP before, must not go unseen either.
 */
describe("an AI tool no one in the organization used before", () => {
  it("connected by a person who already uses MCP raises an alert", async () => {
    const p = await pipeline();
    const issue = [{ type: "jira-issue", attributes: { issueKey: "OPS-1" } }];
    // Mallory's usual AI tool (Claude, the rig's app): her first call is alerted, as it should be.
    await p.feed([p.call({ tool: "getJiraIssue", context: issue })]);
    const before = p.alerts().filter((a) => a.userId === "acct-mallory").length;
    expect(before).toBeGreaterThan(0);
    // Then a client nobody in the organization has used reads and edits through her account.
    const rogue = (tool: string) => {
      const event = p.call({ tool, context: issue });
      const actor = (event.attributes as { actor: Record<string, unknown> }).actor;
      actor.app = { id: "app-x", type: "oauth-app", attributes: { name: "Claude Desktop Helper" } };
      return event;
    };
    await p.feed([rogue("getJiraIssue"), rogue("searchJiraIssuesUsingJql")]);
    const stored = p.r.db
      .prepare(
        "SELECT count(*) AS n FROM events WHERE user_id = 'acct-mallory' AND client_app = 'Claude Desktop Helper'",
      )
      .get() as { n: number };
    expect(stored.n).toBe(2);
    const after = p.alerts().filter((a) => a.userId === "acct-mallory");
    expect(after.length).toBeGreaterThan(before);
  }, 60_000);
});

describe("an AI tool new to the organization", () => {
  const issue = [{ type: "jira-issue", attributes: { issueKey: "OPS-1" } }];
  const people = {
    mallory: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
    trent: { id: "acct-trent", name: "Trent", email: "trent@acme.test" },
  };

  it("is alerted once in the organization, naming the app and the person, not once per person nor for an app of the history", async () => {
    const p = await pipeline();
    // The history fetched on first start (never alerted on) is what a new app is new against.
    const history = p.r.db
      .prepare("SELECT count(*) AS n FROM events WHERE client_app = 'Cursor' AND backfilled = 1")
      .get() as { n: number };
    expect(history.n).toBeGreaterThan(0);
    const by = (person: { id: string; name: string; email: string }, app: string) => {
      const event = p.call({ person, tool: "getJiraIssue", context: issue });
      const actor = (event.attributes as { actor: Record<string, unknown> }).actor;
      actor.app = { id: `app-${app}`, type: "oauth-app", attributes: { name: app } };
      return event;
    };
    await p.feed([by(people.mallory, "Claude"), by(people.trent, "Claude")]);
    const known = new Set(p.alerts().map((a) => a.id));
    await p.feed([by(people.mallory, "Cursor"), by(people.mallory, "Claude Desktop Helper")]);
    await p.feed([
      by(people.trent, "Claude Desktop Helper"),
      by(people.mallory, "Claude Desktop Helper"),
    ]);
    const raised = p.alerts().filter((a) => !known.has(a.id));
    expect(raised.map((a) => [a.ruleId, a.userId, a.title, a.eventCount])).toEqual([
      [
        "mcp-first-use",
        "acct-mallory",
        "Mallory's first MCP call with Claude Desktop Helper, an AI tool new to the organization",
        1,
      ],
    ]);
    expect(p.posted().some((m) => m.payload.includes("Claude Desktop Helper"))).toBe(true);
  }, 60_000);
});
