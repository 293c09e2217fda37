/**
 * `poll --once` on the bot's database while the bot is stopped (a cron job, a catch-up): what it
 * stores it classifies and judges, and nothing judges it again, so it must use the rules file the
 * bot last started with. Without it (a shell with only the ATLASSIAN_* variables) it refuses, as
 * `reclassify` does, unless told `--force`, which leaves the bot's record alone.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { siteItem } from "../../src/simulator/common.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { canaryIssue } from "../../src/simulator/resources.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const CHANNEL = "C0POLL001";

const running: RunningCli[] = [];
const closing: Array<Simulator | FakeSlack> = [];
afterEach(async () => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

const actor = (who: string) => ({
  id: `acc-${who}`,
  name: `Person ${who}`,
  email: `${who}@example.com`,
  auth: { authType: "auth-token-for-3LO" },
});

/**
 * The bot's first start read the history with its rules file (mcp-destructive off, a canary on),
 * or with none when `withRules` is false, and was stopped; since then a destructive call and a
 * read of the canary happened.
 */
async function stoppedBot(withRules = true) {
  const sim = await startSimulator({
    seed: 6,
    orgId: "org-p",
    apiKey: "k",
    start: Date.now() - 3 * 3_600_000,
    intervalMs: 60_000,
  });
  const slack = await startFakeSlack({ token: "xoxb-p" });
  closing.push(sim, slack);
  slack.setMembers(CHANNEL, ["U0R"]);
  slack.addUser({ id: "U0R" });
  const dir = tempDir();
  const site = sim.org.roster.sites[0];
  if (!site) throw new Error("the simulator has no site");
  const canary = canaryIssue(site);
  const rules = join(dir, "rules.yml");
  writeFileSync(
    rules,
    `rules:\n  mcp-destructive: { enabled: false }\nwatch:\n  - { issue: ${canary.label}, canary: true }\n`,
  );
  const path = join(dir, "bot.db");
  const atlassian = {
    ATLASSIAN_API_BASE_URL: sim.url,
    ATLASSIAN_ORG_ID: "org-p",
    ATLASSIAN_API_KEY: "k",
    DATABASE_PATH: path,
    BACKFILL_DAYS: "1",
  };
  const bot = {
    ...atlassian,
    ...(withRules ? { RULES_FILE: rules } : {}),
    SLACK_BOT_TOKEN: "xoxb-p",
    SLACK_SIGNING_SECRET: "s",
    SLACK_API_URL: slack.url,
    SLACK_ALERT_CHANNEL: CHANNEL,
    PORT: "0",
    LOG_LEVEL: "info",
  };
  const first = new RunningCli(["start"], bot);
  running.push(first);
  await first.waitFor((l) => String(l.msg).startsWith("backfill done"), 60_000);
  first.child.kill("SIGTERM");
  expect((await first.done).code).toBe(0);

  const now = new Date().toISOString();
  const tool = (name: string) => ({ id: name, type: "mcp-tool", attributes: { name } });
  sim.injectEvents([
    {
      id: "destroy-1",
      attributes: {
        time: now,
        action: "rovo_mcp_tool_called",
        actor: actor("d"),
        context: [tool("deleteJiraIssue")],
      },
    },
    {
      id: "canary-1",
      attributes: {
        time: now,
        action: "rovo_mcp_tool_called",
        actor: actor("c"),
        container: [siteItem(site)],
        context: [tool("getJiraIssue"), canary.item],
      },
    },
  ]);
  return { slack, rules, path, atlassian, bot };
}

/** What the database holds, read as another process would. */
function stored(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      events: (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n,
      alerts: db
        .prepare(
          "SELECT rule_id AS rule, user_name AS who FROM alerts WHERE rule_id IN (?, ?) ORDER BY id",
        )
        .all("mcp-canary", "mcp-destructive") as Array<{ rule: string; who: string }>,
      rulesFile: (
        db.prepare("SELECT rules_file FROM classified_with").get() as { rules_file: string | null }
      ).rules_file,
    };
  } finally {
    db.close();
  }
}

describe("poll --once and the bot's rules file", () => {
  it("with the bot's RULES_FILE judges what it stores as the bot would", async () => {
    const { rules, path, atlassian } = await stoppedBot();
    const polled = await runCli(["poll", "--once"], { ...atlassian, RULES_FILE: rules });
    expect(polled.code, polled.stderr).toBe(0);
    expect(stored(path).alerts).toEqual([{ rule: "mcp-canary", who: "Person c" }]);
  }, 180_000);

  it("without it refuses, reads nothing, and leaves the events to the bot and its rules file", async () => {
    const { slack, rules, path, atlassian, bot } = await stoppedBot();
    const before = stored(path);
    const polled = await runCli(["poll", "--once"], atlassian);
    expect(polled.code).toBe(1);
    expect(polled.stdout).toBe("");
    expect(polled.stderr).toContain(
      `the bot classifies and judges new events with the rules file ${rules}`,
    );
    expect(polled.stderr).toContain(`Run it with RULES_FILE=${rules}, or add --force`);
    expect(stored(path)).toEqual(before);

    // The bot, started again with its file, reads them itself: the canary alerts, the rule off does not.
    const again = new RunningCli(["start"], bot);
    running.push(again);
    await until(
      () =>
        slack.messages(CHANNEL).some((m) => /canary/i.test(m.text) && m.text.includes("Person c")),
      "the canary's alert",
      60_000,
    );
    expect(stored(path).alerts).toEqual([{ rule: "mcp-canary", who: "Person c" }]);
  }, 180_000);

  it("--force polls with the shell's rules, and keeps the bot's record: reclassify is still refused", async () => {
    const { rules, path, atlassian } = await stoppedBot();
    const polled = await runCli(["poll", "--once", "--force"], atlassian);
    expect(polled.code, polled.stderr).toBe(0);
    expect(stored(path).rulesFile).toBe(rules);
    const reclassified = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(reclassified.code).toBe(1);
    expect(reclassified.stderr).toContain(`Run it with RULES_FILE=${rules}`);
  }, 180_000);
});

describe("poll --once when the bot last started with no RULES_FILE", () => {
  it("refuses a rules file the bot does not use, and keeps the bot's record", async () => {
    const { rules, path, atlassian } = await stoppedBot(false);
    const before = stored(path);
    expect(before.rulesFile).toBeNull();
    const polled = await runCli(["poll", "--once"], { ...atlassian, RULES_FILE: rules });
    expect(polled.code).toBe(1);
    expect(polled.stderr).toContain(
      "the bot classifies and judges new events with no RULES_FILE (the built-in tools alone)",
    );
    expect(polled.stderr).toContain("Run it with no RULES_FILE, or add --force");
    expect(stored(path)).toEqual(before);
  }, 180_000);

  it("then polls with the bot's configuration and judges as the bot would: the destructive call alerts", async () => {
    const { rules, path, atlassian } = await stoppedBot(false);
    await runCli(["poll", "--once"], { ...atlassian, RULES_FILE: rules });
    const polled = await runCli(["poll", "--once"], atlassian);
    expect(polled.code, polled.stderr).toBe(0);
    expect(stored(path).alerts).toEqual([{ rule: "mcp-destructive", who: "Person d" }]);
    expect(stored(path).rulesFile).toBeNull();
  }, 180_000);

  it("--force polls with the rules file and leaves the bot's record at none", async () => {
    const { rules, path, atlassian } = await stoppedBot(false);
    const polled = await runCli(["poll", "--once", "--force"], { ...atlassian, RULES_FILE: rules });
    expect(polled.code, polled.stderr).toBe(0);
    expect(polled.stderr).toContain(
      "the bot's record, no RULES_FILE (the built-in tools alone), stays as it is",
    );
    expect(stored(path).rulesFile).toBeNull();
  }, 180_000);
});
