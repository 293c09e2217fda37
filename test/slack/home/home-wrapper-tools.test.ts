/**
 * A v2 wrapper's calls are named in the App Home as alerts and the query name them: the wrapper
 * with the operation it ran (`executeWrite → createJiraIssueLink`), each operation apart. The real
 * Bolt app, signed events, the fake Slack Web API and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { ALICE, homeRig, RESPONDER } from "./home-rig.js";

const wrapped = (hours: number, innerTool: string) =>
  ({ tool: "executeWrite", toolClass: "write", innerTool, time: hours }) as const;

/** Alice's four `executeWrite` calls: three ran `createJiraIssueLink`, one `editJiraIssue`. */
async function fourWrapperCalls() {
  const r = await homeRig();
  const now = r.clock.now();
  r.activity(
    [
      wrapped(1, "createJiraIssueLink"),
      wrapped(2, "createJiraIssueLink"),
      wrapped(3, "createJiraIssueLink"),
      wrapped(4, "editJiraIssue"),
    ].map((e) => ({ ...e, time: now - e.time * HOUR })),
  );
  return r;
}

describe("a wrapper's calls in the App Home", () => {
  it("a responder's top tools name each operation the wrapper ran", async () => {
    const r = await fourWrapperCalls();
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toMatch(/3\s+executeWrite → createJiraIssueLink/);
    expect(home.text).toMatch(/1\s+executeWrite → editJiraIssue/);
    expect(home.text).not.toMatch(/4\s+executeWrite/);
  });

  it("a person's day lists each operation the wrapper ran", async () => {
    const r = await fourWrapperCalls();
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    expect(home.text).toContain(
      "Tools: executeWrite → createJiraIssueLink (3), executeWrite → editJiraIssue (1)",
    );
  });
});
