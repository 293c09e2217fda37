/**
 * One key for two organizations, past its ATLASSIAN_API_KEY_EXPIRES: a refusal by one of them is
 * not the key's expiry while the other still reads with it. The whole app, two simulators behind
 * one address, the fake Slack, a real SQLite file.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { DAY } from "../../src/time-units.js";
import { startOrgRouter } from "../fakes/org-router.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const CHANNEL = "C0KEYS";

it("a 401 to one organization while the other still reads with the key says nothing of it expiring", async () => {
  const now = Date.now();
  const sims = await Promise.all(
    (["org-a", "org-b"] as const).map((orgId, i) =>
      startSimulator({
        seed: 5 + i,
        orgId,
        apiKey: "shared-key",
        start: now - 2 * 3_600_000,
        intervalMs: 60_000,
      }),
    ),
  );
  const [a, b] = sims as [Simulator, Simulator];
  closeAfterTest(() => Promise.all(sims.map((sim) => sim.close())));
  // org-a refuses the key on its stream once, before org-b's first page (a little slow) is read.
  a.injectFault({ kind: "status", status: 401 }, { times: 1 });
  b.injectFault({ kind: "delay", ms: 1500 }, { times: 1 });
  const router = await startOrgRouter(sims);
  closeAfterTest(() => router.close());
  const slack = await startFakeSlack();
  closeAfterTest(() => slack.close());
  slack.setMembers(CHANNEL, ["U0LEAD"]);
  const app = await startApp({
    config: parseConfig({
      ATLASSIAN_ORG_ID: "org-a,org-b",
      ATLASSIAN_API_KEY: "shared-key",
      ATLASSIAN_API_KEY_EXPIRES: new Date(now - 3 * DAY).toISOString().slice(0, 10),
      ATLASSIAN_API_BASE_URL: router.url,
      SLACK_BOT_TOKEN: "xoxb-keys",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_RESPONDERS: "U0LEAD",
      SLACK_API_URL: slack.url,
      PORT: "0",
      HOST: "127.0.0.1",
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      DATABASE_PATH: join(tempDir(), "keys.db"),
    }),
    logger: capturedLogger("info").logger,
    clock: systemClock,
  });
  closeAfterTest(() => app.stop());
  const texts = () => slack.messages(CHANNEL).map((m) => m.text);
  await until(() => texts().some((t) => t.includes("looks stale")), "the stale note", 30_000);
  expect(texts().filter((t) => t.includes("expired on") || t.includes("is refused"))).toEqual([]);
}, 60_000);
