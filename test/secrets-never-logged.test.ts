import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "./fakes/slack-api.js";
import { RunningCli, runCli } from "./helpers/cli.js";
import { commandBody, postSigned } from "./helpers/slack-sign.js";
import { tempDir } from "./helpers/tmp.js";

/** Distinctive values: any of them in the output, whole or as the Authorization header, is a leak. */
const API_KEY = "atl-key-7Qx9wLm2-unlogged";
const BOT_TOKEN = "xoxb-bot-4Kd2pRt8-unlogged";
const APP_TOKEN = "xapp-app-6Vn3hJs1-unlogged";
const SIGNING_SECRET = "sign-9Zp3cYb5-unlogged";
const SECRETS = [API_KEY, BOT_TOKEN, APP_TOKEN, SIGNING_SECRET];

let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
const running: RunningCli[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
  await sim?.close();
  await slack?.close();
});

function expectNoSecret(output: string): void {
  expect(output.length).toBeGreaterThan(0);
  for (const secret of SECRETS) expect(output).not.toContain(secret);
  // Parts long enough to identify a secret, in case one is logged cut or encoded.
  for (const secret of SECRETS) expect(output).not.toContain(secret.slice(4, 16));
}

function start(env: Record<string, string>): RunningCli {
  const cli = new RunningCli(["start"], {
    ATLASSIAN_ORG_ID: "org-leak",
    ATLASSIAN_API_BASE_URL: sim?.url ?? "http://127.0.0.1:9",
    SLACK_API_URL: slack?.url ?? "http://127.0.0.1:9/api/",
    SLACK_ALERT_CHANNEL: "C0SEC",
    PORT: "0",
    POLL_INTERVAL_SECONDS: "5",
    BACKFILL_DAYS: "1",
    DATABASE_PATH: join(tempDir(), "leak.db"),
    LOG_LEVEL: "trace", // everything, the Slack libraries' request logs included
    ...env,
  });
  running.push(cli);
  return cli;
}

const msgOf = (line: Record<string, unknown>) => String(line.msg ?? "");

describe("no secret is ever logged", () => {
  it("by the running bot, through alerts, Slack failures, forged requests and a rejected API key", async () => {
    sim = await startSimulator({
      seed: 4,
      orgId: "org-leak",
      apiKey: API_KEY,
      start: Date.now() - 2 * 3_600_000,
      intervalMs: 60_000,
    });
    slack = await startFakeSlack({ token: BOT_TOKEN });
    slack.failNext("chat.postMessage", { status: 500 }); // the alert's first post fails
    const signingFile = join(tempDir(), "signing-secret");
    writeFileSync(signingFile, `${SIGNING_SECRET}\n`, { mode: 0o600 });
    const cli = start({
      ATLASSIAN_API_KEY: API_KEY,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET_FILE: signingFile,
    });
    const port = await cli.port();
    await cli.waitFor((l) => msgOf(l).startsWith("backfill done"));

    sim.injectEvents([
      {
        id: "leak-destructive-1",
        attributes: {
          time: new Date().toISOString(),
          action: sim.org.mcpActionKey,
          actor: { id: "acc-eve", name: "Eve", email: "eve@example.com" },
          context: [
            { id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
          ],
        },
      },
    ]);
    await slack.waitFor(
      () => slack?.messages("C0SEC").some((m) => m.text.includes("deleteJiraIssue")) ?? false,
      20_000,
      "the alert, posted after a failed first try",
    );

    const url = `http://127.0.0.1:${port}/slack/events`;
    const body = commandBody({
      command: "/mcp-activity",
      text: "status",
      user_id: "U0ASKER",
      team_id: "T0FAKE",
      channel_id: "C0SEC",
      response_url: slack.responseUrl("status-1"),
      trigger_id: "t-1",
    });
    const forged = await postSigned(url, body, "not-the-secret");
    expect(forged.status).toBe(401);
    const signed = await postSigned(url, body, SIGNING_SECRET);
    expect(signed.status).toBe(200);
    slack.acknowledged("status-1", signed);
    await slack.waitFor(() => (slack?.responses.length ?? 0) > 0, 10_000, "the status reply");

    sim.setApiKey("a-key-nobody-has");
    await cli.waitFor((l) => msgOf(l).includes("API key was rejected"), 20_000);

    cli.child.kill("SIGTERM");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(slack.callsTo("chat.postMessage").some((c) => c.fault !== undefined)).toBe(true);
    expectNoSecret(result.stdout + result.stderr);
  }, 90_000);

  it("by Socket Mode failing to connect", async () => {
    slack = await startFakeSlack(); // it has no apps.connections.open: Bolt keeps retrying
    const cli = start({
      ATLASSIAN_API_KEY: API_KEY,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
    });
    await cli.waitFor((l) => msgOf(l).startsWith("Failed to retrieve a new WSS URL"));
    // While Slack refuses the connection, /healthz answers and SIGTERM still stops it.
    const health = await fetch(`http://127.0.0.1:${await cli.port()}/healthz`);
    expect([200, 503]).toContain(health.status);
    cli.child.kill("SIGTERM");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("apps.connections.open");
    expectNoSecret(result.stdout + result.stderr);
  }, 30_000);

  it("by poll --once with a rejected key, and by configuration errors", async () => {
    sim = await startSimulator({ seed: 4, orgId: "org-leak", apiKey: "the-right-key" });
    const poll = await runCli(["poll", "--once"], {
      ATLASSIAN_ORG_ID: "org-leak",
      ATLASSIAN_API_KEY: API_KEY,
      ATLASSIAN_API_BASE_URL: sim.url,
      DATABASE_PATH: join(tempDir(), "poll.db"),
      LOG_LEVEL: "trace",
    });
    expect(poll.code).toBe(1);
    expect(poll.stderr).toContain("rejected");
    expectNoSecret(poll.stdout + poll.stderr);

    const config = await runCli(["start"], {
      ATLASSIAN_ORG_ID: "org-leak",
      ATLASSIAN_API_KEY: API_KEY,
      SLACK_BOT_TOKEN: APP_TOKEN, // the wrong kind of token
      SLACK_APP_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_ALERT_CHANNEL: "C0SEC",
    });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("SLACK_BOT_TOKEN must start with xoxb-");
    expectNoSecret(config.stdout + config.stderr);
  }, 30_000);

  it("by an organization API key given as ATLASSIAN_ORG_ID, the two swapped", async () => {
    // Atlassian's "Create API key" dialog shows the organization id and the key side by side.
    const key = `ATCTT3xFfGN0${API_KEY}`;
    const swapped = await runCli(["start"], {
      ATLASSIAN_ORG_ID: key,
      ATLASSIAN_API_KEY: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_ALERT_CHANNEL: "C0SEC",
      DATABASE_PATH: join(tempDir(), "swapped.db"),
    });
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain("are ATLASSIAN_ORG_ID and ATLASSIAN_API_KEY swapped?");
    expectNoSecret(swapped.stdout + swapped.stderr);
  }, 30_000);
});
