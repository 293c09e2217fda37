import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli } from "../helpers/cli.js";
import { healthz } from "../helpers/health.js";
import { closedPort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";

let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
let cli: RunningCli | undefined;
afterEach(async () => {
  if (cli && cli.child.exitCode === null) {
    cli.child.kill("SIGTERM");
    await cli.done;
  }
  await sim?.close();
  await slack?.close();
  cli = sim = slack = undefined;
});

describe("Socket Mode, the built CLI", () => {
  it("keeps running when the WebSocket end refuses the connection, and says why", async () => {
    sim = await startSimulator({
      seed: 2,
      orgId: "org-s",
      apiKey: "s-key",
      start: Date.now() - 3_600_000,
    });
    slack = await startFakeSlack();
    slack.setMembers("C0SEC", ["U0LEAD"]);
    slack.socketUrl = `ws://127.0.0.1:${await closedPort()}/link`;
    const running = new RunningCli(["start"], {
      ATLASSIAN_ORG_ID: "org-s",
      ATLASSIAN_API_KEY: "s-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-s",
      SLACK_APP_TOKEN: "xapp-s",
      SLACK_ALERT_CHANNEL: "C0SEC",
      SLACK_API_URL: slack.url,
      PORT: "0",
      DATABASE_PATH: join(tempDir(), "crash.db"),
    });
    cli = running;
    const port = await running.port();
    // Fails (naming the exit and its stderr) if the process ends before saying the failure.
    const said = await Promise.race([
      running.waitFor((l) => String(l.msg).startsWith("Socket Mode could not connect")),
      running.done.then((ended) => ({ ended: ended.code, stderr: ended.stderr.slice(-600) })),
    ]);
    expect(said).toMatchObject({
      msg: expect.stringContaining("the WebSocket closed before Slack said hello"),
    });
    const h = await healthz<{ slack: { socketMode?: { connected: boolean } } }>(port);
    expect(h.body.slack.socketMode?.connected).toBe(false);
    expect(running.child.exitCode).toBeNull();
  }, 30_000);
});
