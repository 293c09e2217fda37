/**
 * The audit log unread for longer than RETENTION_DAYS (the API key refused until renewed late, the
 * VM off for days, the organization left out of ATLASSIAN_ORG_ID until its key was renewed): the
 * assembled app on a real database file, simulated organizations and the fake Slack Web API on
 * 127.0.0.1. Retention keeps the history the catch-up is judged against, so the people and tools
 * in use before the outage are not "new" after it.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startApp } from "../src/app.js";
import { type Clock, systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { startSimulator } from "../src/simulator/index.js";
import { openStore } from "../src/store/open.js";
import { DAY, HOUR, MINUTE } from "../src/time-units.js";
import { startFakeSlack } from "./fakes/slack-api.js";
import { closeAfterTest } from "./helpers/cleanup.js";
import { capturedLogger } from "./helpers/logs.js";
import { tempDir } from "./helpers/tmp.js";
import { until } from "./helpers/until.js";

/**
 * Organization `org-r` (and `org-x`, quiet until now), their clock and Atlassian's 4 days back
 * until `shift` moves them; the bot run on one database as `run` is told.
 */
async function fourDaysLater() {
  const at = { shift: 4 * DAY + 2 * HOUR };
  const clock: Clock = { ...systemClock, now: () => Date.now() - at.shift };
  const simulated = async (orgId: string, seed: number, start: number) => {
    const sim = await startSimulator({
      seed,
      orgId,
      apiKey: `${orgId}-key`,
      start,
      intervalMs: 60_000,
      clock,
    });
    closeAfterTest(() => sim.close());
    return sim;
  };
  const sim = await simulated("org-r", 3, Date.now() - 4 * DAY - 3 * HOUR);
  const other = await simulated("org-x", 4, Date.now() - 2 * HOUR);
  const slack = await startFakeSlack();
  closeAfterTest(() => slack.close());
  slack.setMembers("C0SEC", ["U0LEAD"]);
  const path = join(tempDir(), "outage.db");
  const q = <T>(sql: string): T[] => {
    const db = openStore(path);
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const judgedAll = () =>
    q<{ judged: number }>(
      `SELECT (SELECT coalesce(max(last_seq), 0) FROM detection_state WHERE org_id = 'org-r')
         >= (SELECT coalesce(max(seq), 0) FROM events WHERE org_id = 'org-r') AS judged`,
    )[0]?.judged === 1;

  /** The app watching `orgId` on the database, once its log says `ready`; stopped once. */
  const run = async (orgId: string, ready: string) => {
    const logs = capturedLogger("info");
    const config = parseConfig({
      ATLASSIAN_ORG_ID: orgId,
      ATLASSIAN_API_KEY: `${orgId}-key`,
      ATLASSIAN_API_BASE_URL: orgId === "org-r" ? sim.url : other.url,
      SLACK_BOT_TOKEN: "xoxb-r",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_ALERT_CHANNEL: "C0SEC",
      SLACK_API_URL: slack.url,
      PORT: "0",
      HOST: "127.0.0.1",
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      RETENTION_DAYS: "3",
      DATABASE_PATH: path,
    });
    const app = await startApp({ config, logger: logs.logger, clock });
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= app.stop();
      return stopped;
    };
    closeAfterTest(stop);
    await until(() => logs.text().includes(ready), ready, 60_000);
    return { stop, logs };
  };

  // First run: an hour of org-r's history, then an hour of live calls, judged by the rules.
  const first = await run("org-r", "backfill done");
  at.shift -= HOUR;
  const live = () =>
    q<{ n: number }>(
      "SELECT count(*) AS n FROM events WHERE org_id = 'org-r' AND backfilled = 0",
    )[0]?.n ?? 0;
  await until(() => live() >= 55 && judgedAll(), "an hour of live calls, judged", 60_000, 250);
  await first.stop();
  const mcp = "FROM events WHERE org_id = 'org-r' AND is_mcp = 1";
  const people = new Set(
    q<{ u: string }>(`SELECT DISTINCT user_id AS u ${mcp} AND user_id IS NOT NULL`).map((r) => r.u),
  );
  const tools = new Set(
    q<{ t: string }>(`SELECT DISTINCT tool AS t ${mcp} AND tool IS NOT NULL`).map((r) => r.t),
  );
  const before = q<{ n: number }>("SELECT max(id) AS n FROM alerts")[0]?.n ?? 0;
  at.shift = 0;

  return {
    sim,
    run,
    /** Waits until org-r's log is read to now and judged. */
    async caughtUp(): Promise<void> {
      const newest = () =>
        q<{ t: number | null }>("SELECT max(time) AS t FROM events WHERE org_id = 'org-r'")[0]?.t;
      await until(
        () => (newest() ?? 0) > Date.now() - 10 * MINUTE && judgedAll(),
        "the catch-up, judged",
        120_000,
        250,
      );
    },
    /** Alerts raised since the first run calling a person or a tool of its calls first or new. */
    newAgain(): { people: string[]; tools: string[] } {
      const raised = q<{ rule_id: string; title: string; user_id: string | null; tool: string }>(
        `SELECT rule_id, title, user_id, json_extract(detail, '$.tool') AS tool FROM alerts
         WHERE id > ${before} AND org_id = 'org-r' AND rule_id IN ('mcp-first-use', 'mcp-new-tool')`,
      );
      return {
        people: raised
          .filter((a) => a.title.startsWith("First MCP call by") && people.has(a.user_id ?? ""))
          .map((a) => a.title),
        tools: raised
          .filter((a) => a.rule_id === "mcp-new-tool" && tools.has(a.tool))
          .map((a) => a.title),
      };
    },
  };
}

describe("an outage longer than RETENTION_DAYS", () => {
  it("does not make the people and tools of the catch-up new", async () => {
    const t = await fourDaysLater();
    // Four days later it starts again, its key refused at first (expired, renewed late).
    t.sim.setApiKey("renewed-later");
    const again = await t.run("org-r", "retention: pruned");
    t.sim.setApiKey("org-r-key");
    await t.caughtUp();
    expect(t.newAgain()).toEqual({ people: [], tools: [] });
    // The pass at start said what it kept past the retention.
    expect(again.logs.text()).toContain("retention: kept events older than 3 days");
  }, 240_000);

  it("with the organization left out of ATLASSIAN_ORG_ID, does not make them new either", async () => {
    const t = await fourDaysLater();
    // Four days later, only org-x is watched (org-r's key expired, left out until renewed).
    const other = await t.run("org-x", "retention: pruned");
    await other.stop();
    // Renewed: org-r is watched again, and its log is read on from where it stopped.
    const again = await t.run("org-r", "retention: pruned");
    await t.caughtUp();
    await again.stop();
    expect(t.newAgain()).toEqual({ people: [], tools: [] });
    expect(other.logs.text()).toContain("while the organization is left out of ATLASSIAN_ORG_ID");
  }, 240_000);
});
