import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

describe("a canary page whose id the event gives as a JSON number", () => {
  it("raises mcp-canary", async () => {
    const p = await pipeline('watch:\n  - { page: "123456", canary: true }\n');
    const read = p.call({
      tool: "getConfluencePage",
      context: [{ id: "x", type: "confluence-page", attributes: { pageId: 123456 } }],
    });
    await p.feed([read]);
    const ev = p.event(read.id);
    const mine = p.alerts().filter((a) => a.lastEventSeq === ev.seq);
    expect(mine.map((a) => a.ruleId)).toContain("mcp-canary");
  }, 60_000);

  it("a page item whose own id is a number is that page", async () => {
    const p = await pipeline('watch:\n  - { page: "123456", canary: true }\n');
    const read = p.call({
      tool: "getConfluencePage",
      context: [{ id: 123456, type: "confluence-page", attributes: {} }],
    });
    await p.feed([read]);
    const ev = p.event(read.id);
    const mine = p.alerts().filter((a) => a.lastEventSeq === ev.seq);
    expect(mine.map((a) => a.ruleId)).toContain("mcp-canary");
  }, 60_000);
});

describe("an issue key written in lower case", () => {
  it("names its project, so a watched project matches", async () => {
    const p = await pipeline("watch:\n  - { project: FIN, severity: high }\n");
    const read = p.call({
      tool: "getJiraIssue",
      context: [{ id: "i", type: "jira-issue", attributes: { issueKey: "fin-12" } }],
    });
    await p.feed([read]);
    const ev = p.event(read.id);
    const mine = p.alerts().filter((a) => a.lastEventSeq === ev.seq);
    expect(mine.map((a) => a.ruleId)).toContain("mcp-watched-place");
  }, 60_000);
});
