/**
 * The whole product as an operator runs it: the built CLI in HTTP mode, the simulated
 * organization and the fake Slack Web API on 127.0.0.1, Slack's requests signed for real.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "../src/simulator/index.js";
import { type FakeMessage, type FakeSlack, startFakeSlack } from "./fakes/slack-api.js";
import { sendCommand } from "./fakes/slack-command.js";
import { RunningCli } from "./helpers/cli.js";
import { cronAt } from "./helpers/cron.js";
import { healthzUntil } from "./helpers/health.js";
import { actionBody, postSigned } from "./helpers/slack-sign.js";
import { tempDir } from "./helpers/tmp.js";

const SECRET = "e2e-signing-secret";
const TOKEN = "xoxb-e2e-token";
const CHANNEL = "C0E2E0001";
const RESPONDER = "U0RESPOND1";

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

type Element = { action_id?: string; value?: string };

/** The alert a channel message is about, by its metadata (its buttons go once handled). */
function alertIdOf(m: FakeMessage): string | undefined {
  const id = m.metadata?.event_type === "mcp_alert" ? m.metadata.event_payload.alert_id : undefined;
  return id === undefined ? undefined : String(id);
}

/** Whether the acknowledge button of this alert's message is still there. */
function acknowledgeable(m: FakeMessage): boolean {
  const elements = (m.blocks ?? []).flatMap(
    (b) => ((b as { elements?: Element[] }).elements ?? []) as Element[],
  );
  return elements.some((e) => e.action_id === "alert_acknowledge");
}

function topLevel(slack: FakeSlack): FakeMessage[] {
  return slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
}

describe("mcp-activity end to end", () => {
  it("alerts, takes a signed click and command, posts the digest, restarts without repeating", async () => {
    const now = Date.now();
    const sim = await startSimulator({
      seed: 7,
      orgId: "org-e2e",
      apiKey: "e2e-key",
      start: now - 2 * 3_600_000,
      intervalMs: 1000,
    });
    const slack = await startFakeSlack({ token: TOKEN });
    try {
      slack.setMembers(CHANNEL, [RESPONDER]);
      slack.addUser({ id: RESPONDER, name: "responder", email: "responder@example.com" });
      const digestAt = now + 20_000;
      const env = {
        ATLASSIAN_API_BASE_URL: sim.url,
        ATLASSIAN_ORG_ID: "org-e2e",
        ATLASSIAN_API_KEY: "e2e-key",
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.url,
        SLACK_ALERT_CHANNEL: CHANNEL,
        PORT: "0",
        DATABASE_PATH: join(tempDir(), "e2e.db"),
        POLL_INTERVAL_SECONDS: "5",
        BACKFILL_DAYS: "1",
        DIGEST_CRON: cronAt(digestAt),
        LOG_LEVEL: "info",
      };
      const first = new RunningCli(["start"], env);
      running.push(first);
      const firstPort = await first.port();
      const url = `http://127.0.0.1:${firstPort}/slack/events`;

      // Live MCP activity becomes an alert in the channel.
      const open = () => topLevel(slack).find((m) => alertIdOf(m) && acknowledgeable(m));
      await slack.waitFor(() => open() !== undefined, 40_000, "an alert");
      const alert = open() as FakeMessage;
      const alertId = alertIdOf(alert) as string;

      // A responder's signed click acknowledges it: the message says so.
      const click = await postSigned(
        url,
        actionBody({
          type: "block_actions",
          team: { id: "T0E2E" },
          user: { id: RESPONDER, username: "responder", team_id: "T0E2E" },
          api_app_id: "A0E2E",
          token: "unused",
          trigger_id: "t-1",
          container: { type: "message", message_ts: alert.ts, channel_id: CHANNEL },
          channel: { id: CHANNEL },
          message: { ts: alert.ts, type: "message", text: alert.text },
          response_url: slack.responseUrl("click-1"),
          actions: [
            {
              type: "button",
              action_id: "alert_acknowledge",
              block_id: "b",
              value: alertId,
              action_ts: "1",
            },
          ],
        }),
        SECRET,
      );
      expect(click.status).toBe(200);
      await slack.waitFor(
        () => JSON.stringify(slack.messages(CHANNEL)).includes(`Acknowledged by <@${RESPONDER}>`),
        10_000,
        "the acknowledged message",
      );

      // A signed /mcp-activity about one person answers with that person's tools.
      const calls = [...sim.org.mcpCallsUpTo(Date.now() - 60_000)];
      const counts = new Map<string, number>();
      for (const call of calls)
        if (call.userId) counts.set(call.userId, (counts.get(call.userId) ?? 0) + 1);
      const busiest = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
      const person = sim.org.roster.people.find((p) => p.id === busiest);
      expect(person).toBeDefined();
      const theirTools = new Set(calls.filter((c) => c.userId === person?.id).map((c) => c.tool));
      const asked = await sendCommand(slack, url, SECRET, "cmd-1", {
        text: `user:${person?.email} since:1d`,
        user_id: RESPONDER,
        team_id: "T0E2E",
        channel_id: CHANNEL,
      });
      expect(asked.status).toBe(200);
      await slack.waitFor(() => slack.responses.some((r) => r.id === "cmd-1"), 10_000, "the reply");
      const reply = JSON.stringify(slack.responses.find((r) => r.id === "cmd-1")?.body);
      expect(reply).toContain(person?.name);
      expect([...theirTools].some((tool) => reply.includes(tool))).toBe(true);
      const metrics = await (await fetch(`http://127.0.0.1:${firstPort}/metrics`)).text();
      expect(metrics).toMatch(/^mcp_activity_command_duration_seconds_count\{kind="command"\} 1$/m);

      // The digest posts at its time, once a poll begun 30 s after it has read the log.
      const digests = () =>
        topLevel(slack).filter((m) =>
          JSON.stringify(m.blocks ?? []).includes("MCP activity digest"),
        );
      await slack.waitFor(() => digests().length === 1, 120_000, "the digest");

      // SIGTERM stops it cleanly.
      first.child.kill("SIGTERM");
      expect((await first.done).code).toBe(0);
      const postedBefore = new Set(topLevel(slack).map((m) => m.ts));

      // A restart on the same database posts nothing it posted before.
      const second = new RunningCli(["start"], env);
      running.push(second);
      const port = await second.port();
      // A destructive call after the restart: once its alert is posted and nothing waits in the
      // outbox, whatever the restart would post again has been posted.
      sim.injectEvents([
        {
          id: "after-restart",
          attributes: {
            time: new Date().toISOString(),
            action: sim.org.mcpActionKey,
            actor: {
              id: "acc-after",
              name: "Person After",
              email: "after@example.com",
              auth: { authType: "auth-token-for-3LO" },
            },
            context: [
              { id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
            ],
          },
        },
      ]);
      await slack.waitFor(
        () => topLevel(slack).some((m) => m.text.includes("deleteJiraIssue by Person After")),
        30_000,
        "the alert raised after the restart",
      );
      await healthzUntil<{ slack: { pendingDeliveries: number } }>(
        port,
        (h) => h.body.slack.pendingDeliveries === 0,
        "an empty outbox",
      );
      second.child.kill("SIGTERM");
      expect((await second.done).code).toBe(0);

      const ids = topLevel(slack).flatMap((m) => alertIdOf(m) ?? []);
      expect(new Set(ids).size).toBe(ids.length);
      expect(digests()).toHaveLength(1);
      const afterRestart = topLevel(slack).filter((m) => !postedBefore.has(m.ts));
      expect(afterRestart.every((m) => m.metadata?.event_type === "mcp_alert")).toBe(true);
      expect(first.lines.concat(second.lines).some((l) => l.level === 50)).toBe(false);
    } finally {
      await slack.close();
      await sim.close();
    }
  }, 150_000);
});
