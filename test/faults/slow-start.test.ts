import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { healthz } from "../helpers/health.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { readUntil } from "../helpers/until.js";
import { CHANNEL, FastClock, type Health } from "./harness.js";

const ORG = "org-slow-start";
let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await sim?.close();
  await slack?.close();
});

describe("a start while the Atlassian API does not answer", () => {
  it("turns /healthz 503 after three intervals, saying the key check is still waiting", async () => {
    const clock = new FastClock(10);
    sim = await startSimulator({
      seed: 3,
      orgId: ORG,
      apiKey: "slow-key",
      start: clock.now() - 3_600_000,
      intervalMs: 60_000,
      clock,
    });
    // Every request, the list of organizations checked at start too, answers after a minute of
    // real time: each outlasts the client's timeout (30 s of the app's time) and is retried.
    sim.injectFault({ kind: "delay", ms: 60_000 }, { times: 1_000, scope: "any" });
    slack = await startFakeSlack();
    const config = parseConfig({
      ATLASSIAN_ORG_ID: ORG,
      ATLASSIAN_API_KEY: "slow-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-slow",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.url,
      PORT: "0",
      HOST: "127.0.0.1",
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      DATABASE_PATH: join(tempDir(), "slow.db"),
    });
    app = await startApp({ config, logger: capturedLogger("info").logger, clock });
    const port = app.port;
    const down = await readUntil(
      () => healthz<Health["body"]>(port),
      (h) => h.status === 503,
      "/healthz to answer 503",
    );
    expect(down.body.poller.ok).toBe(false);
    expect(down.body.poller.lastError?.kind).toBe("slow");
    expect(down.body.poller.lastError?.message).toMatch(
      /^no progress since .*: checking the API key and organization: no answer yet$/,
    );
  }, 30_000);
});
