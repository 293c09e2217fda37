/**
 * The assembled app in HTTP mode: the simulator as Atlassian, Slack's Web API faked on 127.0.0.1,
 * and Slack's requests to /slack/events signed with `SECRET`.
 */
import { join } from "node:path";
import { type RunningApp, startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import type { FakeChannelInfo } from "../fakes/slack-store.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

export const SECRET = "http-rig-secret";
export const CHANNEL = "C0SEC";
/** A member of the alert channel: a responder. */
export const RESPONDER = "U0LEAD";

let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
let app: RunningApp | undefined;
/** Stops what the rig started: each test file calls it after each test. */
export async function closeHttpRig(): Promise<void> {
  await app?.stop();
  await sim?.close();
  await slack?.close();
  app = sim = slack = undefined;
}

/**
 * The assembled app in HTTP mode; `url` is its /slack/events. `channel`: what conversations.info
 * says of the alert channel; `env`: more of the environment (SLACK_RESPONDERS); `faults`: what
 * Slack does wrong from the start.
 */
export async function httpRig(
  o: {
    channel?: FakeChannelInfo;
    env?: Record<string, string>;
    faults?: (slack: FakeSlack) => void;
  } = {},
) {
  sim = await startSimulator({
    seed: 2,
    orgId: "org-h",
    apiKey: "h-key",
    start: Date.now() - 3_600_000,
  });
  const fake = await startFakeSlack();
  slack = fake;
  fake.setMembers(CHANNEL, [RESPONDER]);
  if (o.channel) fake.setChannel(CHANNEL, o.channel);
  o.faults?.(fake);
  fake.addUser({ id: RESPONDER, name: "lead", email: "lead@example.com" });
  const logs = capturedLogger("debug");
  const running = await startApp({
    config: parseConfig({
      ATLASSIAN_ORG_ID: "org-h",
      ATLASSIAN_API_KEY: "h-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-h",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_API_URL: fake.url,
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_PATH: join(tempDir(), "http.db"),
      ...o.env,
    }),
    logger: logs.logger,
    clock: systemClock,
  });
  app = running;
  const { port } = running;
  return { slack: fake, logs, port, url: `http://127.0.0.1:${port}/slack/events` };
}
