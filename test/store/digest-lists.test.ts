import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDigest, digestText } from "../../src/digest/build.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "./setup.js";

const UNTIL = Date.UTC(2026, 10, 25, 9);
const SINCE = UNTIL - DAY;
const health = { lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null };

describe("the digest's lists of settings changes and MCP app authorizations", () => {
  it("say how many they leave out past the first 20", () => {
    const stores = repositories(openStore(join(tempDir(), "lists.db")));
    for (let i = 0; i < 25; i++) {
      stores.alerts.insert(
        newAlert({
          ruleId: "mcp-settings-changed",
          severity: "medium",
          groupKey: `settings-${i}`,
          title: `AI setting ${i} changed by Mallory`,
          createdAt: UNTIL - HOUR,
        }),
      );
      stores.alerts.insert(
        newAlert({
          ruleId: "mcp-app-authorized",
          severity: "medium",
          groupKey: `app-${i}`,
          title: `User ${i} authorized Atlassian MCP`,
          createdAt: UNTIL - HOUR,
        }),
      );
    }
    const day = stores.digestFigures.read("org-1", SINCE, UNTIL, () => "x", {
      bucketMs: HOUR,
      previousSince: SINCE - DAY,
    });
    expect([day.settingsChangeCount, day.appAuthorizationCount]).toEqual([25, 25]);
    const text = digestText(buildDigest({ ...day, health }, { kind: "daily", late: false }));
    expect(text).toContain("AI setting 19 changed by Mallory\n…and 5 more");
    expect(text).toContain("User 19 authorized Atlassian MCP\n…and 5 more");
  });
});
