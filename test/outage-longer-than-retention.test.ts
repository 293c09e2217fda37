/**
 * The audit log unread for longer than RETENTION_DAYS (the API key refused until renewed late, the
 * VM off for days): the assembled app on a real database file, the simulated organization and the
 * fake Slack Web API on 127.0.0.1. The pass at start keeps the history the catch-up is judged
 * against, so the people and tools in use before the outage are not "new" after it.
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

describe("an outage longer than RETENTION_DAYS", () => {
  it("does not make the people and tools of the catch-up new", async () => {
    // The bot's clock, and Atlassian's: 4 days back for the first run.
    let shift = 4 * DAY + 2 * HOUR;
    const clock: Clock = { ...systemClock, now: () => Date.now() - shift };
    const sim = await startSimulator({
      seed: 3,
      orgId: "org-r",
      apiKey: "r-key",
      start: Date.now() - 4 * DAY - 3 * HOUR,
      intervalMs: 60_000,
      clock,
    });
    closeAfterTest(() => sim.close());
    const slack = await startFakeSlack();
    closeAfterTest(() => slack.close());
    slack.setMembers("C0SEC", ["U0LEAD"]);
    const path = join(tempDir(), "outage.db");
    const config = parseConfig({
      ATLASSIAN_ORG_ID: "org-r",
      ATLASSIAN_API_KEY: "r-key",
      ATLASSIAN_API_BASE_URL: sim.url,
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
        `SELECT (SELECT coalesce(max(last_seq), 0) FROM detection_state)
           >= (SELECT coalesce(max(seq), 0) FROM event_rows) AS judged`,
      )[0]?.judged === 1;
    /** The app started on the same database, once its log says `ready`; stopped once. */
    const run = async (ready: string) => {
      const logs = capturedLogger("info");
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

    // First run: an hour of history, then an hour of live calls, judged by the rules.
    const first = await run("backfill done");
    shift -= HOUR;
    const live = () =>
      q<{ n: number }>("SELECT count(*) AS n FROM event_rows WHERE backfilled = 0")[0]?.n ?? 0;
    await until(() => live() >= 55 && judgedAll(), "an hour of live calls, judged", 60_000, 250);
    await first.stop();
    const people = new Set(
      q<{ u: string }>(
        "SELECT DISTINCT user_id AS u FROM events WHERE is_mcp = 1 AND user_id IS NOT NULL",
      ).map((r) => r.u),
    );
    const tools = new Set(
      q<{ t: string }>(
        "SELECT DISTINCT tool AS t FROM events WHERE is_mcp = 1 AND tool IS NOT NULL",
      ).map((r) => r.t),
    );
    const before = q<{ n: number }>("SELECT max(id) AS n FROM alerts")[0]?.n ?? 0;

    // Four days later it starts again, its key refused at first (expired, renewed late).
    shift = 0;
    sim.setApiKey("renewed-later");
    const again = await run("retention: pruned");
    sim.setApiKey("r-key");
    const newest = () => q<{ t: number | null }>("SELECT max(time) AS t FROM event_rows")[0]?.t;
    await until(
      () => (newest() ?? 0) > Date.now() - 10 * MINUTE && judgedAll(),
      "the catch-up, judged",
      120_000,
      250,
    );

    const raised = q<{ rule_id: string; title: string; user_id: string | null; tool: string }>(
      `SELECT rule_id, title, user_id, json_extract(detail, '$.tool') AS tool FROM alerts
       WHERE id > ${before} AND rule_id IN ('mcp-first-use', 'mcp-new-tool')`,
    );
    const firstAgain = raised.filter(
      (a) => a.title.startsWith("First MCP call by") && people.has(a.user_id ?? ""),
    );
    const toolAgain = raised.filter((a) => a.rule_id === "mcp-new-tool" && tools.has(a.tool));
    expect(firstAgain.map((a) => a.title)).toEqual([]);
    expect(toolAgain.map((a) => a.title)).toEqual([]);
    // The pass at start said what it kept past the retention.
    expect(again.logs.text()).toContain("retention: kept events older than 3 days");
  }, 240_000);
});
