/**
 * A v2 wrapper's call is asked about by the operation it ran, as its alert names it
 * ("executeWrite → createJiraIssueLink"): real Bolt app, signed commands, the seeded store of
 * query-rig.ts plus one wrapper call.
 */
import { describe, expect, it } from "vitest";
import { EventStore } from "../../../src/store/events.js";
import { MINUTE } from "../../../src/time-units.js";
import { normalizedEvent } from "../../detect/fixtures.js";
import { queryRig } from "./query-rig.js";

async function withWrapperCall() {
  const c = await queryRig();
  const call = normalizedEvent({
    id: "wrapped-1",
    time: c.clock.now() - 5 * MINUTE,
    tool: "executeWrite",
    toolClass: "write",
    innerTool: "createJiraIssueLink",
    product: null,
  });
  new EventStore(c.db).insertMany([call], c.clock.now());
  return c;
}

describe("/mcp-activity: the operation a wrapper ran", () => {
  it("tool: naming the operation finds the call, with no 'did you mean'", async () => {
    const c = await withWrapperCall();
    const answer = (await c.ask("tool:createJiraIssueLink since:1d")).text;
    expect(answer).not.toContain("did you mean");
    expect(answer).not.toContain("No MCP activity matches");
    expect(answer).toMatch(/\b1 MCP call\b/);
    // Top tools and the latest list name it as the alert does.
    expect(answer).toContain("executeWrite → createJiraIssueLink");
  });

  it("a free word finds it by the operation; tool: the wrapper finds it too", async () => {
    const c = await withWrapperCall();
    const word = (await c.ask("createJiraIssueLink since:1d")).text;
    expect(word).toMatch(/\b1 MCP call\b/);
    expect(word).toContain("executeWrite → createJiraIssueLink");
    const wrapper = (await c.ask("tool:executeWrite since:1d")).text;
    expect(wrapper).toMatch(/\b1 MCP call\b/);
  });

  it("an operation nobody ran still gets the nearest stored one", async () => {
    const c = await withWrapperCall();
    const answer = (await c.ask("tool:createJiraIssueLnk since:1d")).text;
    expect(answer).toContain("Did you mean `tool:createJiraIssueLink`?");
  });
});
