import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

describe("a call whose actor names no account id", () => {
  it("is still judged by the rules about the call itself", async () => {
    const p = await pipeline();
    const noId = { name: "Mallory", email: "mallory@acme.test" } as unknown as { id: string };
    await p.feed([
      p.call({
        person: noId,
        tool: "deleteJiraIssue",
        context: [{ type: "jira-issue", attributes: { issueKey: "OPS-4" } }],
      }),
    ]);
    const alerts = p.alerts().filter((a) => a.ruleId === "mcp-destructive");
    expect(alerts).toMatchObject([{ userId: null, userEmail: "mallory@acme.test", notify: true }]);
  }, 60_000);
});
