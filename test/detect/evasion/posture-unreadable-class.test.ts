import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

const POSTURE = "posture:\n  products: { jira: [read, search], confluence: [read, search] }\n";
const bitbucket = { id: "prod-bb", type: "product", attributes: { productKey: "bitbucket" } };

describe("a declared posture and a call in a product it does not list", () => {
  it("a Bitbucket merge contradicts products: bitbucket is not allowed", async () => {
    const p = await pipeline(POSTURE);
    const merge = p.call({ tool: "mergePullRequest", context: [bitbucket] });
    await p.feed([merge]);
    const ev = p.event(merge.id);
    expect([ev.is_mcp, ev.product]).toEqual([1, "bitbucket"]);
    const drift = p
      .alerts()
      .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-posture-drift");
    expect(drift.map((a) => [a.detail.contradiction, a.notify])).toEqual([
      ["products.bitbucket", true],
    ]);
  }, 60_000);

  it("a call whose class cannot be read contradicts products all the same", async () => {
    const p = await pipeline(POSTURE);
    const call = p.call({ tool: "bitbucketPipelineRerun", context: [bitbucket] });
    await p.feed([call]);
    const ev = p.event(call.id);
    expect([ev.product, ev.tool_class]).toEqual(["bitbucket", null]);
    const drift = p
      .alerts()
      .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-posture-drift");
    expect(drift.map((a) => a.detail.contradiction)).toEqual(["products.bitbucket"]);
  }, 60_000);

  it("in a declared product that allows only some classes, a call of unknown class contradicts it", async () => {
    const p = await pipeline(POSTURE);
    const jira = { id: "prod-j", type: "product", attributes: { productKey: "jira" } };
    const call = p.call({ tool: "jiraIssueRerank", context: [jira] });
    await p.feed([call]);
    const ev = p.event(call.id);
    expect([ev.product, ev.tool_class]).toEqual(["jira", null]);
    const drift = p
      .alerts()
      .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-posture-drift");
    expect(drift.map((a) => [a.detail.contradiction, a.title])).toEqual([
      [
        "products.jira.unclassified.jiraIssueRerank",
        expect.stringMatching(
          /^observed a tool of unknown class in jira \(jiraIssueRerank\) although your posture says jira allows read, search: check /,
        ),
      ],
    ]);
  }, 60_000);

  it("a second merge, once the tool is known, still raises an alert", async () => {
    const p = await pipeline(POSTURE);
    await p.feed([p.call({ tool: "mergePullRequest", context: [bitbucket] })]);
    const again = p.call({ tool: "mergePullRequest", context: [bitbucket] });
    await p.feed([again]);
    const ev = p.event(again.id);
    const drift = p
      .alerts()
      .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-posture-drift");
    expect(drift.map((a) => [a.detail.contradiction, a.notify])).toEqual([
      ["products.bitbucket", true],
    ]);
  }, 60_000);

  it("each tool of unknown class is a contradiction of its own; a call naming no tool, none", async () => {
    const p = await pipeline(POSTURE);
    const jira = { id: "prod-j", type: "product", attributes: { productKey: "jira" } };
    const first = p.call({ tool: "jiraIssueRerank", context: [jira] });
    const second = p.call({ tool: "jiraBoardRebuild", context: [jira] });
    const toolless = p.call({ context: [jira] });
    await p.feed([first, second, toolless]);
    const named = (id: string) => {
      const ev = p.event(id);
      return p
        .alerts()
        .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-posture-drift")
        .map((a) => a.detail.contradiction);
    };
    expect(named(first.id)).toEqual(["products.jira.unclassified.jiraIssueRerank"]);
    expect(named(second.id)).toEqual(["products.jira.unclassified.jiraBoardRebuild"]);
    expect([p.event(toolless.id).tool, p.event(toolless.id).product]).toEqual([null, "jira"]);
    expect(named(toolless.id)).toEqual([]);
  }, 60_000);
});
