/**
 * `digest --post` from an operator's shell beside the running bot, on its database: a setup
 * problem of that shell's (a channel the bot is not in, a stale SLACK_BOT_TOKEN) is the command's
 * own. It is said, nothing is left queued for the bot to retry, and the bot's alerts are not held.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli, runCli } from "../helpers/cli.js";
import { healthz, healthzUntil } from "../helpers/health.js";
import { closedPort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const TOKEN = "xoxb-beside";
const CHANNEL = "C0ALERTS1";
const OTHER = "C0OTHER01";

interface SlackHealth {
  slack: {
    problem: string | null;
    pendingDeliveries: number;
    paused: Array<{ method: string; reason: string }>;
  };
}

const running: RunningCli[] = [];
const closing: Array<Simulator | FakeSlack> = [];
afterEach(async () => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

/** A destructive MCP call by `who`, now: the bot alerts it at once. */
function destructive(who: string) {
  return {
    id: `destroy-${who}`,
    attributes: {
      time: new Date().toISOString(),
      action: "rovo_mcp_tool_called",
      actor: {
        id: `acc-${who}`,
        name: `Person ${who}`,
        email: `${who}@example.com`,
        auth: { authType: "auth-token-for-3LO" },
      },
      context: [
        { id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
      ],
    },
  };
}

/** The bot running, its history read and everything it owed Slack posted. */
async function runningBot() {
  const sim = await startSimulator({
    seed: 3,
    orgId: "org-beside",
    apiKey: "k",
    start: Date.now() - 2 * 3_600_000,
    intervalMs: 60_000,
  });
  const slack = await startFakeSlack({ token: TOKEN });
  closing.push(sim, slack);
  slack.setMembers(CHANNEL, ["U0RESP"]);
  slack.addUser({ id: "U0RESP" });
  const path = join(tempDir(), "bot.db");
  const env = {
    ATLASSIAN_API_BASE_URL: sim.url,
    ATLASSIAN_ORG_ID: "org-beside",
    ATLASSIAN_API_KEY: "k",
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: "s",
    SLACK_API_URL: slack.url,
    SLACK_ALERT_CHANNEL: CHANNEL,
    PORT: "0",
    DATABASE_PATH: path,
    POLL_INTERVAL_SECONDS: "5",
    BACKFILL_DAYS: "1",
    LOG_LEVEL: "info",
  };
  const bot = new RunningCli(["start"], env);
  running.push(bot);
  const port = await bot.port();
  await bot.waitFor((l) => String(l.msg).startsWith("backfill done"), 60_000);
  await healthzUntil<SlackHealth>(
    port,
    (h) => h.body.slack.pendingDeliveries === 0,
    "the start's messages to be posted",
    60_000,
  );
  const alerted = (who: string) =>
    slack.messages(CHANNEL).some((m) => m.text.includes(`deleteJiraIssue by Person ${who}`));
  return { sim, slack, env, path, port, alerted };
}

/** The digests' messages in the outbox, read as another process would. */
function digestItems(
  path: string,
): Array<{ kind: string; state: string; channel: string; failure: string | null }> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        "SELECT kind, state, channel, failure FROM outbox WHERE kind LIKE 'digest%' ORDER BY id",
      )
      .all() as Array<{ kind: string; state: string; channel: string; failure: string | null }>;
  } finally {
    db.close();
  }
}

/** The digests refused for good, and why, read as another process would. */
function refusedDigests(path: string): Array<{ kind: string; refused: string }> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT kind, refused FROM digests WHERE refused IS NOT NULL ORDER BY id")
      .all() as Array<{ kind: string; refused: string }>;
  } finally {
    db.close();
  }
}

describe("digest --post beside the running bot", () => {
  it("to a channel the bot is not in: says so, leaves nothing for the bot, and holds no alert back", async () => {
    const { sim, slack, env, path, port, alerted } = await runningBot();
    slack.failNext(
      "chat.postMessage",
      { error: "not_in_channel" },
      100,
      (p) => p.channel === OTHER,
    );

    const cli = await runCli(["digest", "--post"], { ...env, SLACK_ALERT_CHANNEL: OTHER });
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toBe(
      "not posted: invite the bot to the alert channel: /invite @mcp-activity in that channel. Nothing is left queued: run digest --post again once that is done.\n",
    );
    // The shell's problem is not the bot's: nothing paused, no problem in its /healthz.
    const health = await healthz<SlackHealth>(port);
    expect(health.status).toBe(200);
    expect(health.body.slack.paused).toEqual([]);
    expect(health.body.slack.problem).toBeNull();
    // Failed, not waiting (the message and its chart): the bot never tries the shell's channel.
    const items = digestItems(path);
    expect(items.map((i) => i.kind)).toContain("digest");
    expect(items).toEqual(items.map((i) => ({ ...i, state: "failed", channel: OTHER })));
    // And the digest settled: no later start of the bot queues it once the outbox forgot it.
    expect(refusedDigests(path)).toEqual([
      { kind: "on-demand", refused: "not_in_channel (met by digest --post)" },
    ]);

    sim.injectEvents([destructive("after")]);
    await until(() => alerted("after"), "the bot's next alert to be posted", 30_000);
    expect(
      slack.callsTo("chat.postMessage").filter((c) => c.params.channel === OTHER),
    ).toHaveLength(1);
  }, 180_000);

  it("with a stale SLACK_BOT_TOKEN: says so, queues nothing, and holds no alert back", async () => {
    const { sim, slack, env, path, port, alerted } = await runningBot();

    const cli = await runCli(["digest", "--post"], { ...env, SLACK_BOT_TOKEN: "xoxb-stale" });
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toBe(
      "not posted: SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again. Nothing is left queued: run digest --post again once that is done.\n",
    );
    const health = await healthz<SlackHealth>(port);
    expect(health.body.slack.paused).toEqual([]);
    expect(health.body.slack.problem).toBeNull();
    // Its token was checked before anything was queued.
    expect(digestItems(path)).toEqual([]);

    sim.injectEvents([destructive("stale")]);
    await until(() => alerted("stale"), "the bot's next alert to be posted", 30_000);
    // Only the bot's token reached chat.postMessage.
    expect(slack.callsTo("chat.postMessage").every((c) => c.token === TOKEN)).toBe(true);
  }, 180_000);

  it("left queued for a channel the bot is not in: the bot fails it once, and holds no alert back", async () => {
    const { sim, slack, env, path, port, alerted } = await runningBot();
    slack.failNext(
      "chat.postMessage",
      { error: "not_in_channel" },
      100,
      (p) => p.channel === OTHER,
    );

    // A shell that reaches no Slack: the digest is left for the bot, addressed to the shell's channel.
    const cli = await runCli(["digest", "--post"], {
      ...env,
      SLACK_ALERT_CHANNEL: OTHER,
      SLACK_API_URL: `http://127.0.0.1:${await closedPort()}/api/`,
    });
    expect(cli.code, cli.stderr).toBe(1);
    // Left for the bot after the shell's 20 s; or, when the bot took it up between the shell's
    // tries (the bot posts what waits), the bot's answer, which the shell reports.
    expect(cli.stdout).toMatch(
      /It stays queued: the bot posts it once it can\.\n$|^not posted: Slack refused it \(not_in_channel\)\n$/,
    );

    // The bot tries it where it was addressed, once: refused there, it is failed with the reason.
    await until(
      () => digestItems(path).every((i) => i.state === "failed"),
      "the bot to settle the digest",
      120_000,
    );
    expect(digestItems(path)).toContainEqual({
      kind: "digest",
      state: "failed",
      channel: OTHER,
      failure: "not_in_channel",
    });
    const health = await healthz<SlackHealth>(port);
    expect(health.status).toBe(200);
    expect(health.body.slack.paused).toEqual([]);
    expect(health.body.slack.problem).toBeNull();

    sim.injectEvents([destructive("later")]);
    await until(() => alerted("later"), "the bot's next alert to be posted", 30_000);
    expect(
      slack.callsTo("chat.postMessage").filter((c) => c.params.channel === OTHER),
    ).toHaveLength(1);
  }, 240_000);
});
