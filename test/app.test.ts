import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { type Simulator, startSimulator } from "../src/simulator/index.js";
import { ANSWER_IN_ACK_MS } from "../src/slack/commands/slash-command.js";
import { SiemReceiver } from "./fakes/siem-receiver.js";
import { type FakeSlack, startFakeSlack } from "./fakes/slack-api.js";
import { healthzUntil } from "./helpers/health.js";
import { capturedLogger } from "./helpers/logs.js";
import { commandBody, postSigned } from "./helpers/slack-sign.js";
import { tempDir } from "./helpers/tmp.js";
import { until } from "./helpers/until.js";

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

describe("the assembled app", () => {
  it("turns a live destructive MCP call into one alert in the channel, and reports health", async () => {
    const now = Date.now();
    sim = await startSimulator({
      seed: 3,
      orgId: "org-app",
      apiKey: "app-key",
      start: now - 2 * 3_600_000,
      intervalMs: 60_000,
    });
    slack = await startFakeSlack();
    slack.setMembers("C0SEC", ["U0LEAD"]);
    const config = parseConfig({
      ATLASSIAN_ORG_ID: "org-app",
      ATLASSIAN_API_KEY: "app-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-app",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_ALERT_CHANNEL: "C0SEC",
      SLACK_API_URL: slack.url,
      PORT: "0",
      HOST: "127.0.0.1",
      METRICS_TOKEN: "scrape-token",
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      DATABASE_PATH: join(tempDir(), "app.db"),
    });
    const logs = capturedLogger("info");
    app = await startApp({ config, logger: logs.logger, clock: systemClock });
    await until(() => logs.text().includes("backfill done"), "the backfill");
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0); // history never alerts

    const at = new Date().toISOString();
    sim.injectEvents([
      {
        id: "live-destructive-1",
        attributes: {
          time: at,
          action: sim.org.mcpActionKey,
          actor: {
            id: "acc-mallory",
            name: "Mallory <!channel>",
            email: "mallory@example.com",
            auth: { authType: "auth-token-for-3LO" },
          },
          context: [
            { id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
          ],
          container: [
            { id: "s", type: "sites", attributes: { siteHostName: "https://acme.atlassian.net" } },
          ],
        },
      },
    ]);
    await until(
      () => slack?.messages("C0SEC").some((m) => m.text.includes("deleteJiraIssue")) ?? false,
      "the alert",
      15_000,
    );
    const posted = slack.messages("C0SEC").filter((m) => m.text.includes("deleteJiraIssue by"));
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toBe(
      `[HIGH] alert ${posted[0]?.metadata?.event_payload.alert_id}: deleteJiraIssue by Mallory &lt;!channel&gt; — mallory@example.com on acme.atlassian.net`,
    );

    const port = app.port;
    // What follows the alert (its thread, the history's summary) is sent too.
    const { body: health } = await healthzUntil<Record<string, Record<string, unknown>>>(
      port,
      (h) => h.body.slack?.pendingDeliveries === 0,
      "an empty outbox",
    );
    expect(health.status).toBe("ok");
    // A load balancer's HEAD is answered as its GET (here in HTTP mode, beside /slack/events).
    const head = await fetch(`http://127.0.0.1:${port}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(health.poller).toMatchObject({ ok: true, quarantined: 0 });
    // Only the organizations watched, by id and name.
    expect(
      (health.organizations as unknown as Array<{ orgId: string; name: string }>).map(
        (o) => `${o.orgId} ${o.name}`,
      ),
    ).toEqual(["org-app Acme"]);
    expect(health.slack).toMatchObject({
      ok: true,
      responders: "members of the private alert channel (1)",
      lastError: null,
      pendingDeliveries: 0,
      outbox: { pending: {}, sending: 0, oldestPendingSeconds: null },
      paused: [],
      pausedUntil: null,
      lastPermanentFailure: null,
    });
    // Every worker, in one shape: the organization's and the shared ones.
    const workers = health.workers as unknown as Array<Record<string, unknown>>;
    expect(workers.map((w) => `${w.name}${w.org ? `@${w.org}` : ""}:${w.ok}`)).toEqual([
      "outbox:true",
      "home:true",
      "poller@org-app:true",
      "follow-ups@org-app:true",
      "key-expiry@org-app:true",
      "digest@org-app:true",
      "retention:true",
    ]);
    expect(workers.find((w) => w.name === "poller")?.lastPassAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const scrape = (authorization?: string) =>
      fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
    for (const wrong of [undefined, "Bearer nope", "scrape-token", "Basic scrape-token"])
      expect((await scrape(wrong)).status).toBe(401);
    const metrics = await scrape("Bearer scrape-token");
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    expect(
      value(/^mcp_activity_polls_total\{org="org-app",outcome="ok"\} (\d+)$/m),
    ).toBeGreaterThan(0);
    const ingested = value(/^mcp_activity_events_ingested_total\{org="org-app"\} (\d+)$/m);
    expect(ingested).toBe(sim.countValidEventsUpTo(Date.now()));
    expect(value(/^mcp_activity_events_stored\{org="org-app"\} (\d+)$/m)).toBe(ingested);
    expect(
      value(
        /^mcp_activity_alerts_stored\{org="org-app",rule="mcp-destructive",severity="high"\} (\d+)$/m,
      ),
    ).toBe(1);
    expect(
      value(/^mcp_activity_slack_calls_total\{method="chat.postMessage",result="ok"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^mcp_activity_slack_queue_depth\{org="org-app"\} 0$/m);
    expect(
      value(/^mcp_activity_slack_sends_total\{kind="alert",result="ok"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^mcp_activity_outbox_oldest_seconds 0$/m);
    expect(text).toMatch(/^mcp_activity_lag_seconds\{org="org-app"\} \d+/m);
    expect(text).toMatch(/^mcp_activity_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^mcp_activity_worker_up\{worker="follow-ups",org="org-app"\} 1$/m);
    expect(text).toMatch(/^mcp_activity_worker_up\{worker="retention",org=""\} 1$/m);
    expect(
      value(
        /^mcp_activity_worker_last_pass_timestamp_seconds\{worker="poller",org="org-app"\} (\d+)/m,
      ),
    ).toBeGreaterThan(0);
    expect(text).not.toContain("mallory");
  });
});

describe("stopping the assembled app", () => {
  it("lets a query that is still running finish before the database closes", async () => {
    sim = await startSimulator({ seed: 4, orgId: "org-stop", apiKey: "stop-key" });
    slack = await startFakeSlack();
    slack.setMembers("C0SEC", ["U0ASKER"]);
    slack.addUser({ id: "U0ASKER", email: "asker@example.com" });
    const config = parseConfig({
      ATLASSIAN_ORG_ID: "org-stop",
      ATLASSIAN_API_KEY: "stop-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-app",
      SLACK_SIGNING_SECRET: "stop-secret",
      SLACK_ALERT_CHANNEL: "C0SEC",
      SLACK_API_URL: slack.url,
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_PATH: join(tempDir(), "stop.db"),
    });
    const logs = capturedLogger("info");
    const running = await startApp({
      config,
      logger: logs.logger,
      clock: systemClock,
    });
    // Slower than an answer given in the acknowledgement: posted to the response URL after it.
    slack.failNext("users.info", { delayMs: ANSWER_IN_ACK_MS + 1000 });
    const asked = await postSigned(
      `http://127.0.0.1:${running.port}/slack/events`,
      commandBody({
        command: "/mcp-activity",
        text: "user:me since:1d",
        user_id: "U0ASKER",
        team_id: "T0",
        channel_id: "C0SEC",
        response_url: slack.responseUrl("stop-1"),
        trigger_id: "t",
      }),
      "stop-secret",
    );
    expect(asked).toMatchObject({ status: 200, text: "" });
    await running.stop();
    expect(slack.responses.map((r) => [r.id, r.via])).toEqual([["stop-1", "response_url"]]);
    expect(JSON.stringify(slack.responses[0]?.body)).toContain("MCP activity");
    expect(logs.lines().filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});

describe("the assembled app's SIEM export", () => {
  it("sends the stored MCP events, and a refusal shows in /healthz and /metrics but keeps it 200", async () => {
    const secret = "app-export-secret-0123456789abcdef0123";
    const receiver = await SiemReceiver.start(secret);
    try {
      sim = await startSimulator({
        seed: 3,
        orgId: "org-app",
        apiKey: "app-key",
        start: Date.now() - 2 * 3_600_000,
        intervalMs: 5_000, // about 900 MCP events: two batches
      });
      slack = await startFakeSlack();
      slack.setMembers("C0SEC", ["U0LEAD"]);
      const config = parseConfig({
        ATLASSIAN_ORG_ID: "org-app",
        ATLASSIAN_API_KEY: "app-key",
        ATLASSIAN_API_BASE_URL: sim.url,
        SLACK_BOT_TOKEN: "xoxb-app",
        SLACK_SIGNING_SECRET: "secret",
        SLACK_ALERT_CHANNEL: "C0SEC",
        SLACK_API_URL: slack.url,
        PORT: "0",
        HOST: "127.0.0.1",
        BACKFILL_DAYS: "1",
        DATABASE_PATH: join(tempDir(), "app-export.db"),
        EXPORT_URL: receiver.url,
        EXPORT_SECRET: secret,
      });
      const logs = capturedLogger("info");
      // The first batch is taken; the second is refused.
      receiver.answer({ status: 200 }, { status: 403, body: "token revoked" });
      app = await startApp({ config, logger: logs.logger, clock: systemClock });
      const health = await healthzUntil<{ export?: { stopped: unknown } }>(
        app.port,
        (r) => r.status === 200 && r.body.export?.stopped != null,
        "the export stopped, /healthz still 200",
        20_000,
      );
      expect(health.body.export).toMatchObject({
        ok: false,
        receiver: new URL(receiver.url).origin,
        stopped: { reason: "the receiver answered 403: token revoked" },
      });
      expect(receiver.batches[0]?.verified).toBe(true);
      expect(receiver.batches[0]?.records[0]).toMatchObject({
        kind: "mcp_event",
        org_id: "org-app",
      });
      const metrics = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
      expect(metrics).toMatch(/mcp_activity_export_stopped 1/);
      expect(metrics).toMatch(/mcp_activity_export_failures_total\{outcome="refused"\} 1/);
      expect(metrics).toMatch(/mcp_activity_worker_up\{worker="export",org=""\} 0/);
      expect(logs.text()).not.toContain(secret);
    } finally {
      await receiver.close();
    }
  });
});
