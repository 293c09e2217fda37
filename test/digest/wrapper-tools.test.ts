/**
 * A v2 wrapper's calls are named in the digests as alerts and the query name them: the wrapper
 * with the operation it ran (`executeWrite → createJiraIssueLink`), each operation a tool of its
 * own. Events written to a real SQLite file by the store, the digests built from what it reads.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDigest, digestText } from "../../src/digest/build.js";
import { buildWeeklyDigest } from "../../src/digest/build-weekly.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const UNTIL = Date.UTC(2026, 10, 25, 9);
const health = { lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null };
let n = 0;

/** One of Alice's calls at `time`: of `executeWrite` running `innerTool`, or of another tool. */
function call(time: number, tool: string, innerTool: string | null = null): NormalizedEvent {
  const base = normalizedEvent();
  return { ...base, id: `wrapped-${++n}`, time, processedAt: time, tool, innerTool };
}

/** Three `executeWrite` calls running `createJiraIssueLink` and one `editJiraIssue`, in [since, UNTIL). */
const fourWrapperCalls = (since: number) => [
  call(since + HOUR, "executeWrite", "createJiraIssueLink"),
  call(since + 2 * HOUR, "executeWrite", "createJiraIssueLink"),
  call(since + 3 * HOUR, "executeWrite", "createJiraIssueLink"),
  call(since + 4 * HOUR, "executeWrite", "editJiraIssue"),
];

function storeOf(events: NormalizedEvent[]) {
  const stores = repositories(openStore(join(tempDir(), "wrapper-tools.db")));
  stores.transaction(() => stores.events.insertMany(events, UNTIL + DAY));
  return stores;
}

describe("a wrapper's calls in the digests", () => {
  it("the daily digest counts and lists each operation the wrapper ran as a tool", () => {
    const since = UNTIL - DAY;
    const stores = storeOf(fourWrapperCalls(since));
    const day = stores.digestFigures.read("org-1", since, UNTIL, () => "x", {
      bucketMs: HOUR,
      previousSince: since - DAY,
    });
    const text = digestText(buildDigest({ ...day, health }, { kind: "daily", late: false }));
    expect(text).toContain("4 MCP calls");
    expect(text).toMatch(/· 2 tools\b/);
    expect(text).toMatch(/3 · executeWrite → createJiraIssueLink/);
    expect(text).toMatch(/1 · executeWrite → editJiraIssue/);
    expect(text).not.toMatch(/4 · executeWrite/);
    expect(text).toContain("first tool: executeWrite → createJiraIssueLink");
  });

  it("the weekly digest's what changed names an operation first run this week", () => {
    const since = UNTIL - 7 * DAY;
    const stores = storeOf([
      // Known before the week: the wrapper running editJiraIssue.
      call(since - 3 * DAY, "executeWrite", "editJiraIssue"),
      ...fourWrapperCalls(since),
    ]);
    const newTools = stores.weeklyFigures.newTools("org-1", since, UNTIL);
    expect(newTools).toEqual([{ key: "executeWrite → createJiraIssueLink", calls: 3, people: 1 }]);
    const week = stores.digestFigures.read("org-1", since, UNTIL, () => "x", {
      bucketMs: 6 * HOUR,
      previousSince: since - 7 * DAY,
    });
    const text = digestText(
      buildWeeklyDigest(
        {
          ...week,
          health,
          callsPerDay: [4, 0, 0, 0, 0, 0, 0],
          newTools,
          newSites: [],
          ruleOutcomes: [],
        },
        { late: false, timeZone: "UTC" },
      ),
    );
    expect(text).toContain("• executeWrite → createJiraIssueLink (3 calls, 1 person)");
  });
});
