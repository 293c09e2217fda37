/**
 * An alert's tools name a v2 wrapper's calls as its title does: the wrapper with the operation it
 * ran (`executeWrite → createJiraIssueLink`). The engine over a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/time-units.js";
import { byRule, event, setup } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

const wrapped = (innerTool: string, minutes: number) =>
  event({ tool: "executeWrite", toolClass: "write", innerTool, time: T0 + minutes * MINUTE });

describe("a wrapper's calls in an alert's tools", () => {
  it("are named by the operation each ran, when the alert is raised and as it grows", () => {
    const s = setup("minSeverity: low\n");
    s.store([
      wrapped("createJiraIssueLink", 0),
      wrapped("editJiraIssue", 4),
      wrapped("createJiraIssueLink", 8),
    ]);
    s.engine().run();
    const write = byRule(s.alerts())["mcp-write"];
    expect(write?.title).toContain("executeWrite → createJiraIssueLink");
    expect(write).toMatchObject({
      eventCount: 3,
      tools: ["executeWrite → createJiraIssueLink", "executeWrite → editJiraIssue"],
    });
  });
});
