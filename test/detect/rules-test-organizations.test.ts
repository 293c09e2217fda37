/**
 * `mcp-activity rules test` on the database of a bot watching several organizations, which all
 * post to the one SLACK_ALERT_CHANNEL: the verdict is about the channel responders read.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventActionStore } from "../../src/store/event-actions.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { tempDir } from "../helpers/tmp.js";
import { event, person } from "./engine-rig.js";
import { MCP_TOOL_CALLED } from "./fixtures.js";
import { rules } from "./rules-command.js";

const RULES = [
  "rules:",
  "  mcp-first-use: { enabled: false }",
  "  mcp-new-tool: { enabled: false }",
].join("\n");

/**
 * A database where each of `orgs` had a first day stored that only teaches the replay, then, two
 * days ago, 15 people each deleting one issue, one an hour: 15 high alerts, each posted alone.
 */
function fifteenHighAlertsEach(orgs: readonly string[]): {
  DATABASE_PATH: string;
  RULES_FILE: string;
} {
  const path = join(tempDir(), "organizations.db");
  const db = openStore(path);
  const stores = repositories(db);
  const now = Date.now();
  const day = Math.floor((now - 2 * DAY) / DAY) * DAY + 30 * 60_000;
  for (const orgId of orgs) {
    new EventActionStore(db).replace(orgId, [MCP_TOOL_CALLED], () => false, now - 10 * DAY);
    const teach = event({
      orgId,
      ...person(`acc-${orgId}-zed`, `zed@${orgId}.example`),
      time: now - 6 * DAY,
      processedAt: now - 6 * DAY + 5_000,
    });
    stores.events.insertMany([teach], now - 6 * DAY);
    for (let i = 0; i < 15; i++) {
      const time = day + i * HOUR;
      const e = event({
        orgId,
        ...person(`acc-${orgId}-${i}`, `p${i}@${orgId}.example`),
        tool: "deleteJiraIssue",
        toolClass: "destructive",
        resource: `OPS-${i}`,
        time,
        processedAt: time + 5_000,
      });
      // Its tool named in the raw JSON, as Atlassian does.
      const raw = JSON.parse(e.raw);
      raw.attributes.context.unshift({ type: "mcp-tool", attributes: { name: e.tool } });
      stores.events.insertMany([{ ...e, raw: JSON.stringify(raw) }], time + 6_000);
    }
  }
  db.close();
  const file = join(tempDir(), "rules.yml");
  writeFileSync(file, RULES);
  return { DATABASE_PATH: path, RULES_FILE: file };
}

describe("rules test with several organizations", () => {
  it("counts each one's messages under its own budget, then judges the channel on their sum", async () => {
    const env = fifteenHighAlertsEach(["org-a", "org-b"]);
    const replay = await rules(["test"], env, { days: "3" });
    expect(replay.code, replay.err).toBe(0);
    const own =
      "channel, from this organization: 15 message(s) in 3 day(s); budget of 10 alerts an hour: no hour went over it";
    expect(replay.out.split("\n").filter((line) => line === own)).toHaveLength(2);
    // The channel gets both organizations' 15 alerts that day: 30, over the worst-day bound of 25.
    expect(replay.out).toContain(
      "channel, the 2 organizations together: 30 message(s) in 3 day(s)\n",
    );
    expect(replay.out).not.toMatch(/^readable: /m);
    expect(replay.out).toMatch(
      /^too noisy: 10\.0 messages a day on average, the worst day 30 on /m,
    );
  }, 60_000);

  it("without ATLASSIAN_ORG_ID, says every organization stored is counted as posting", async () => {
    // org-gone was taken out of the bot's list: its events stay stored, and the bot posts 15 that day.
    const env = fifteenHighAlertsEach(["org-a", "org-gone"]);
    const unset = await rules(["test"], env, { days: "3" });
    expect(unset.code, unset.err).toBe(0);
    expect(unset.out.split("\n")[0]).toBe(
      "ATLASSIAN_ORG_ID is not set: all 2 organizations stored are counted as posting to the channel; set it to the bot's list to count only those",
    );
    expect(unset.out).toMatch(/^too noisy: .* the worst day 30 on /m);
    // Set to the bot's list, the verdict is on what the bot posts, and no such line.
    const listed = await rules(["test"], { ...env, ATLASSIAN_ORG_ID: "org-a" }, { days: "3" });
    expect(listed.out).not.toContain("ATLASSIAN_ORG_ID is not set");
    expect(listed.out).toMatch(/^readable: .* the worst day 15 on /m);
  }, 60_000);

  it("replays only the organizations of ATLASSIAN_ORG_ID, and names the others", async () => {
    const env = fifteenHighAlertsEach(["org-a", "org-gone"]);
    const replay = await rules(["test"], { ...env, ATLASSIAN_ORG_ID: "org-a" }, { days: "3" });
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out).toContain(
      "not replayed, as not in ATLASSIAN_ORG_ID (the bot posts nothing for them): org-gone\n",
    );
    expect(replay.out).not.toContain("org-gone: ");
    expect(replay.out).toMatch(/^org-a: 15 events of the last 3 day\(s\) replayed$/m);
    expect(replay.out).toMatch(/^channel: 15 message\(s\) in 3 day\(s\); /m);
    expect(replay.out).toMatch(/^readable: 5\.0 messages a day on average, the worst day 15 on /m);
    // An id is read in any case: the same organization, replayed the same.
    const upper = await rules(["test"], { ...env, ATLASSIAN_ORG_ID: "ORG-A" }, { days: "3" });
    expect(upper.out).toBe(replay.out);
    // None of the organizations listed has events stored: nothing replayed, and it says so.
    const none = await rules(["test"], { ...env, ATLASSIAN_ORG_ID: "org-new" }, { days: "3" });
    expect(none.out).toBe(
      "not replayed, as not in ATLASSIAN_ORG_ID (the bot posts nothing for them): org-a, org-gone\nno events of the organizations of ATLASSIAN_ORG_ID are stored yet\n",
    );
  }, 60_000);
});
