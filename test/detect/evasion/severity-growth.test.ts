import { describe, expect, it } from "vitest";
import { MINUTE, pipeline, uid } from "./rig.js";

/**
 * An alert opened below minSeverity is kept out of the channel; a finding for the channel that
 * grows it brings it there, titled by that finding (a harmless first call hid a day of them).
 */
describe("a finding for the channel that grows an alert kept out of it", () => {
  const rules = `
minSeverity: high
watch:
  - { space: HR, severity: high }
  - { project: SEC, severity: medium }
`;
  const hrPage = (id: string) => ({
    id,
    type: "confluence-page",
    attributes: { pageId: id, title: `Salary review ${id}`, spaceKey: "HR" },
  });

  it("reading the HR space (watched, high) alone is posted", async () => {
    const p = await pipeline(rules);
    await p.feed([p.call({ tool: "getConfluencePage", context: [hrPage("9001")] })]);
    const hr = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-watched-place" && a.userId === "acct-mallory");
    expect(hr).toMatchObject([{ severity: "high", notify: true }]);
    expect(p.posted().map((m) => m.ref)).toContain(`alert:${p.r.sim.orgId}:${hr[0]?.id}`);
  }, 60_000);

  it("is posted after a read of a medium watched project opened the person's alert", async () => {
    const p = await pipeline(rules);
    // One read in SEC (medium < minSeverity high: stored, not posted) opens the group for 24 h.
    await p.feed([
      p.call({
        tool: "getJiraIssue",
        context: [{ type: "jira-issue", attributes: { issueKey: "SEC-7", projectKey: "SEC" } }],
      }),
    ]);
    // Then 40 HR pages (under the burst threshold), spread over the next hours.
    for (let h = 0; h < 4; h++) {
      await p.feed(
        Array.from({ length: 10 }, (_, k) =>
          p.call({ tool: "getConfluencePage", context: [hrPage(String(9000 + h * 10 + k))] }),
        ),
      );
      p.r.clock.advance(60 * MINUTE);
    }
    const watched = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-watched-place" && a.userId === "acct-mallory");
    expect(watched).toMatchObject([
      { severity: "high", eventCount: 41, notify: true, title: expect.stringContaining("HR") },
    ]);
    expect(p.posted().map((m) => m.ref)).toContain(`alert:${p.r.sim.orgId}:${watched[0]?.id}`);
  }, 60_000);
});

describe("an API token named for an AI tool, created after a plain one", () => {
  it("is posted, though the plain token's alert (low) took it in", async () => {
    const p = await pipeline();
    const action = p.r.sim.org.actionKeyOf("api_token_created");
    const token = (label: string) => ({
      id: uid(),
      type: "events",
      attributes: {
        time: new Date(p.r.clock.now() - 5_000).toISOString(),
        action,
        actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
        context: [{ id: uid(), type: "api-token", attributes: { label } }],
        container: [],
      },
      message: { content: `Mallory created API token “${label}”`, format: "simple" },
    });
    await p.feed([token("backup-script")]); // low: stored, not posted
    p.r.clock.advance(3 * MINUTE);
    await p.feed([token("claude-mcp")]); // high alone: grows the low alert instead
    const created = p.alerts().filter((a) => a.ruleId === "api-token-created");
    expect(created).toMatchObject([
      { severity: "high", eventCount: 2, title: expect.stringContaining("claude-mcp") },
    ]);
    expect(p.posted().map((m) => m.ref)).toContain(`alert:${p.r.sim.orgId}:${created[0]?.id}`);
  }, 60_000);
});
