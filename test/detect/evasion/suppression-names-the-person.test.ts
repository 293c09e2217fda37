import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

const agent = (onBehalfOf: { id: string; name: string; email: string }) =>
  ({ id: "acct-agent", name: "Cleanup agent", email: "agent@acme.test", onBehalfOf }) as never;
const mallory = { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" };
const issue = { id: "i", type: "jira-issue", attributes: { issueKey: "FIN-7" } };

describe("a suppression naming the account that acted for a person", () => {
  it("does not hide a delete made on behalf of another person", async () => {
    const p = await pipeline(
      "suppressions:\n  - { actor: acct-agent, rule: mcp-destructive, reason: nightly cleanup agent }\n",
    );
    const del = p.call({ tool: "deleteJiraIssue", person: agent(mallory), context: [issue] });
    await p.feed([del]);
    const ev = p.event(del.id);
    expect(ev.user_id).toBe("acct-mallory");
    const mine = p
      .alerts()
      .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-destructive");
    expect(mine.map((a) => [a.userId, a.notify, a.suppressedBy])).toEqual([
      ["acct-mallory", true, null],
    ]);
  }, 60_000);

  it("nor does a group holding the acting account's e-mail", async () => {
    const p = await pipeline(
      "groups:\n  agents: [agent@acme.test]\nsuppressions:\n  - { group: agents, rule: mcp-destructive, reason: agents }\n",
    );
    const del = p.call({ tool: "deleteJiraIssue", person: agent(mallory), context: [issue] });
    await p.feed([del]);
    const ev = p.event(del.id);
    const mine = p
      .alerts()
      .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-destructive");
    expect(mine.map((a) => a.suppressedBy)).toEqual([null]);
  }, 60_000);

  it("a suppression naming the person still covers their calls made through the agent", async () => {
    const p = await pipeline(
      "suppressions:\n  - { actor: mallory@acme.test, rule: mcp-destructive, reason: her cleanup }\n",
    );
    const del = p.call({ tool: "deleteJiraIssue", person: agent(mallory), context: [issue] });
    await p.feed([del]);
    const ev = p.event(del.id);
    const mine = p
      .alerts()
      .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-destructive");
    expect(mine.map((a) => [a.notify, a.suppressedBy])).toEqual([[false, "her cleanup"]]);
  }, 60_000);
});
