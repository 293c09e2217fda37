/**
 * The scopes Slack says the bot token has (X-OAuth-Scopes), against those manifest.yml asks for:
 * the assembled app on the simulator and the fake Slack on 127.0.0.1, a real SQLite file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type RunningApp, startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { GrantedScopes } from "../../src/slack/granted-scopes.js";
import { MANIFEST_SCOPES } from "../../src/slack/scopes.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { sendCommand } from "../fakes/slack-command.js";
import { healthz } from "../helpers/health.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

const SECRET = "granted-scopes-secret";
const EVERY = Object.keys(MANIFEST_SCOPES);

let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await sim?.close();
  await slack?.close();
  app = undefined;
  sim = undefined;
  slack = undefined;
});

/** The app started on a fake Slack whose answers say the token has `scopes` (false: say nothing). */
async function started(scopes: readonly string[] | false) {
  sim = await startSimulator({ seed: 5, orgId: "org-scopes", apiKey: "scopes-key" });
  slack = await startFakeSlack({ scopes });
  slack.setMembers("C0SEC", ["U0LEAD", "U0OTHER"]);
  slack.addUser({ id: "U0LEAD", email: "lead@example.com" });
  slack.addUser({ id: "U0OTHER", email: "other@example.com" });
  const config = parseConfig({
    ATLASSIAN_ORG_ID: "org-scopes",
    ATLASSIAN_API_KEY: "scopes-key",
    ATLASSIAN_API_BASE_URL: sim.url,
    SLACK_BOT_TOKEN: "xoxb-scopes",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_ALERT_CHANNEL: "C0SEC",
    SLACK_API_URL: slack.url,
    PORT: "0",
    HOST: "127.0.0.1",
    BACKFILL_DAYS: "1",
    DATABASE_PATH: join(tempDir(), "scopes.db"),
  });
  const logs = capturedLogger("info");
  app = await startApp({ config, logger: logs.logger, clock: systemClock });
  const warnings = () =>
    logs
      .lines()
      .filter((l) => Number(l.level) >= 40)
      .map((l) => String(l.msg));
  const health = async () => {
    const { status, body } = await healthz<{ slack: Record<string, unknown> }>(app?.port ?? 0);
    return { status, slack: body.slack };
  };
  /** `/mcp-activity status` asked by `user` (a responder new to the app is looked up: users.info). */
  const status = async (user = "U0LEAD") => {
    const url = `http://127.0.0.1:${app?.port}/slack/events`;
    const fields = { text: "status", user_id: user, team_id: "T0FAKE", channel_id: "C0SEC" };
    await sendCommand(slack as FakeSlack, url, SECRET, user, fields);
    await slack?.waitFor(() => slack?.responses.some((r) => r.id === user) ?? false);
    return JSON.stringify(slack?.responses.filter((r) => r.id === user).map((r) => r.body));
  };
  return { slack, logs, warnings, health, status };
}

const NO_EMAIL =
  'users:read.email (nobody is asked "did you do this?", me and @mentions find no Atlassian account, and buttons barred on oneself are refused)';

describe("the scopes the Slack app was granted", () => {
  it("the table names every bot scope of manifest.yml, and no other", () => {
    const manifest = parse(readFileSync("manifest.yml", "utf8")) as {
      oauth_config: { scopes: { bot: string[] } };
    };
    expect(EVERY).toEqual(manifest.oauth_config.scopes.bot);
  });

  it("some missing: warned once at start, naming each and what stops working; shown, still healthy", async () => {
    const granted = EVERY.filter((s) => s !== "users:read.email" && s !== "im:write");
    const a = await started(granted);
    expect(a.warnings()).toEqual([
      `Slack: the Slack app lacks scopes manifest.yml asks for: ${NO_EMAIL}; im:write (no direct messages: no questions, no CSV exports); add them to the Slack app and reinstall it`,
    ]);
    const { status, slack } = await a.health();
    expect(status).toBe(200);
    expect(slack.ok).toBe(true);
    expect(slack.missingScopes).toEqual([
      { scope: "users:read.email", without: MANIFEST_SCOPES["users:read.email"] },
      { scope: "im:write", without: MANIFEST_SCOPES["im:write"] },
    ]);
    expect(await a.status()).toContain("the Slack app lacks scopes manifest.yml asks for");
    // Reinstalled with them: the next answer of Slack says so, and /healthz shows none missing.
    a.slack.grantScopes(EVERY);
    expect(await a.status("U0OTHER")).not.toContain("lacks scopes");
    expect((await a.health()).slack.missingScopes).toEqual([]);
    expect(a.warnings()).toHaveLength(1);
    expect(a.logs.text()).toContain("Slack: the app now has every scope manifest.yml asks for");
  });

  it("chat:write missing: /healthz is unhealthy, naming it, and the outbox is down", async () => {
    const a = await started(EVERY.filter((s) => s !== "chat:write"));
    const { status, slack } = await a.health();
    expect(status).toBe(503);
    expect(slack.problem).toBe(
      "the Slack app lacks scopes manifest.yml asks for: chat:write (nothing is posted: alerts, digests, thread replies); add them to the Slack app and reinstall it",
    );
    // Before any post has failed for it.
    const metrics = await (await fetch(`http://127.0.0.1:${app?.port}/metrics`)).text();
    expect(metrics).toMatch(/^mcp_activity_worker_up\{worker="outbox",org=""\} 0$/m);
  });

  it("every scope granted, or none said (no X-OAuth-Scopes header): nothing is warned", async () => {
    for (const scopes of [EVERY, false] as const) {
      const a = await started(scopes);
      expect(a.warnings()).toEqual([]);
      expect((await a.health()).slack.missingScopes).toEqual(scopes ? [] : null);
      await app?.stop();
      await sim?.close();
      await slack?.close();
      app = undefined;
    }
  });

  it("a header naming no scope says nothing: not every scope missing, chat:write included", () => {
    const logs = capturedLogger("info");
    const granted = new GrantedScopes(logs.logger);
    granted.granted([""]);
    expect(granted.lacking()).toBeUndefined();
    granted.granted(EVERY);
    expect(granted.lacking()).toEqual([]);
    expect(logs.lines().filter((l) => Number(l.level) >= 40)).toEqual([]);
  });
});
