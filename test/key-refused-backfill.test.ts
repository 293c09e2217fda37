/**
 * The API key refused (401) while the first poll still reads the history: the assembled app, the
 * simulated organization answering the first page, then 401 to every page after, and the fake
 * Slack Web API on 127.0.0.1. Nothing reads the rest of the history until ATLASSIAN_API_KEY is
 * fixed, and every surface says so rather than that the bot is busy reading it. (With nothing
 * stored yet, `status` says "not read yet … the warning below says why": see
 * wrong-organization.test.ts.)
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { startSimulator } from "../src/simulator/index.js";
import { DAY } from "../src/time-units.js";
import { type FakeSlack, startFakeSlack } from "./fakes/slack-api.js";
import { sendCommand } from "./fakes/slack-command.js";
import { closeAfterTest } from "./helpers/cleanup.js";
import { healthzUntil } from "./helpers/health.js";
import { capturedLogger } from "./helpers/logs.js";
import { nowSeconds, postSigned } from "./helpers/slack-sign.js";
import { tempDir } from "./helpers/tmp.js";
import { until } from "./helpers/until.js";

const SECRET = "key-refused-secret";
const CHANNEL = "C0REFUSED";
const RESPONDER = "U0REFUSED";

interface Health {
  poller: {
    ok: boolean;
    backfilling: boolean;
    historyUnread: string | null;
    apiKeyRejected: boolean;
    eventsStored: number;
  };
}

/**
 * The app polling two days of events with BACKFILL_DAYS=1, once the first page is stored and the
 * key refused on the next.
 */
async function refusedMidway(env: Record<string, string> = {}) {
  const sim = await startSimulator({
    seed: 3,
    orgId: "org-refused",
    apiKey: "refused-key",
    start: Date.now() - 2 * DAY,
    intervalMs: 60_000,
  });
  closeAfterTest(() => sim.close());
  // The first page answered (a fault taken, so the next ones come after it), then 401s.
  sim.injectFault({ kind: "delay", ms: 1 });
  const unauthorized = JSON.stringify({
    errors: [{ status: "401", code: "ADMIN-401-1", title: "Unauthorized" }],
  });
  sim.injectFault(
    { kind: "status", status: 401, body: unauthorized, contentType: "application/json" },
    { times: 100 },
  );
  const slack = await startFakeSlack();
  closeAfterTest(() => slack.close());
  slack.setMembers(CHANNEL, [RESPONDER]);
  slack.addUser({ id: RESPONDER, name: "responder", email: "responder@example.com" });
  const app: RunningApp = await startApp({
    config: parseConfig({
      ATLASSIAN_ORG_ID: "org-refused",
      ATLASSIAN_API_KEY: "refused-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-refused",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.url,
      PORT: "0",
      HOST: "127.0.0.1",
      POLL_INTERVAL_SECONDS: "60",
      BACKFILL_DAYS: "1",
      DATABASE_PATH: join(tempDir(), "refused.db"),
      ...env,
    }),
    logger: capturedLogger("info").logger,
    clock: systemClock,
  });
  closeAfterTest(() => app.stop());
  const health = await healthzUntil<Health>(
    app.port,
    (h) => h.body.poller.apiKeyRejected && h.body.poller.eventsStored > 0,
    "the key refused after a page",
    20_000,
  );
  return { slack, base: `http://127.0.0.1:${app.port}`, health };
}

/** `/mcp-activity status` asked by the responder: the reply, as JSON text. */
async function askStatus(slack: FakeSlack, base: string): Promise<string> {
  const asked = await sendCommand(slack, `${base}/slack/events`, SECRET, "status-1", {
    text: "status",
    user_id: RESPONDER,
    team_id: "T0REFUSED",
    channel_id: CHANNEL,
  });
  expect(asked.status).toBe(200);
  await until(() => slack.responses.some((r) => r.id === "status-1"), "the status reply");
  return JSON.stringify(slack.responses.find((r) => r.id === "status-1")?.body);
}

/** The API key line of the App Home the responder opens. */
async function homeKeyLine(slack: FakeSlack, base: string): Promise<string> {
  const opened = JSON.stringify({
    token: "t",
    team_id: "T0REFUSED",
    api_app_id: "A0APP",
    type: "event_callback",
    event_id: "Ev1",
    event_time: nowSeconds(),
    event: { type: "app_home_opened", user: RESPONDER, channel: "D0HOME", tab: "home" },
  });
  const posted = await postSigned(`${base}/slack/events`, opened, SECRET, {
    contentType: "application/json",
  });
  expect(posted.status).toBe(200);
  await until(() => slack.callsTo("views.publish").length > 0, "the App Home");
  const home = JSON.stringify(slack.callsTo("views.publish")[0]);
  return home.match(/\*API key\*: [^"]*/)?.[0] ?? "";
}

describe("the key refused before the first backfill finishes", () => {
  it("/healthz does not say backfilling while the key is refused, and says the history is left unread", async () => {
    const { health } = await refusedMidway();
    expect(health.status).toBe(503);
    expect(health.body.poller).toMatchObject({
      ok: false,
      backfilling: false,
      historyUnread: "apiKeyRejected",
      apiKeyRejected: true,
    });
  }, 60_000);

  it("status says the history is not being read because the key is refused, not 'Reading'", async () => {
    const { slack, base, health } = await refusedMidway();
    const status = await askStatus(slack, base);
    expect(status).not.toContain("Reading the audit log's history");
    expect(status).toContain(
      `The audit log's history is not being read: the organization API key is refused (check ATLASSIAN_API_KEY); ${health.body.poller.eventsStored} events of it stored so far, and reading goes on from there once the key is accepted`,
    );
  }, 60_000);

  it("the App Home's API key line says the key is refused whatever its expiry date", async () => {
    const none = await refusedMidway();
    expect(await homeKeyLine(none.slack, none.base)).toMatch(
      /^\*API key\*: 🔴 refused \(401 or 403\): the audit log can no longer be read\. Check ATLASSIAN_API_KEY/,
    );
    const ahead = new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10);
    const dated = await refusedMidway({ ATLASSIAN_API_KEY_EXPIRES: ahead });
    expect(await homeKeyLine(dated.slack, dated.base)).toMatch(
      new RegExp(
        `^\\*API key\\*: 🔴 refused \\(401 or 403\\) before its expiry date \\(${ahead}\\): it has been revoked or lacks a scope`,
      ),
    );
  }, 60_000);
});
