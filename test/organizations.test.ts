/**
 * One app watching two simulated organizations behind one API base URL, posting to the fake
 * Slack; clicks and commands signed for real.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { type Simulator, startSimulator } from "../src/simulator/index.js";
import { AlertStore } from "../src/store/alerts.js";
import { openStore } from "../src/store/open.js";
import { type OrgRouter, startOrgRouter } from "./fakes/org-router.js";
import { type FakeMessage, type FakeSlack, startFakeSlack } from "./fakes/slack-api.js";
import { sendCommand } from "./fakes/slack-command.js";
import { capturedLogger } from "./helpers/logs.js";
import { actionBody, postSigned } from "./helpers/slack-sign.js";
import { tempDir } from "./helpers/tmp.js";
import { until } from "./helpers/until.js";

const SECRET = "orgs-signing-secret";
const CHANNEL = "C0ORGS001";
const RESPONDER = "U0RESPOND1";

let sims: Simulator[] = [];
let router: OrgRouter | undefined;
let slack: FakeSlack | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await router?.close();
  for (const sim of sims.splice(0)) await sim.close();
  await slack?.close();
});

/** A live destructive MCP call by `name`, as the audit log reports it. */
function destructiveCall(sim: Simulator, id: string, name: string) {
  return {
    id,
    attributes: {
      time: new Date().toISOString(),
      action: sim.org.mcpActionKey,
      actor: {
        id: `acc-${name.toLowerCase()}`,
        name,
        email: `${name.toLowerCase()}@example.com`,
        auth: { authType: "auth-token-for-3LO" },
      },
      context: [
        { id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
      ],
      container: [
        { id: "s", type: "sites", attributes: { siteHostName: "https://acme.atlassian.net" } },
      ],
    },
  };
}

type Element = { action_id?: string; value?: string };
function alertIdOf(m: FakeMessage): string | undefined {
  const elements = (m.blocks ?? []).flatMap(
    (b) => ((b as { elements?: Element[] }).elements ?? []) as Element[],
  );
  return elements.find((e) => e.action_id === "alert_acknowledge")?.value;
}

function click(url: string, message: FakeMessage, alertId: string, reply: string) {
  return postSigned(
    url,
    actionBody({
      type: "block_actions",
      team: { id: "T0FAKE" },
      user: { id: RESPONDER, username: "responder", team_id: "T0FAKE" },
      api_app_id: "A0ORGS",
      token: "unused",
      trigger_id: `t-${reply}`,
      container: { type: "message", message_ts: message.ts, channel_id: CHANNEL },
      channel: { id: CHANNEL },
      message: { ts: message.ts, type: "message", text: message.text },
      response_url: slack?.responseUrl(reply),
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
}

describe("one app watching two organizations", () => {
  it("stores, alerts, acknowledges, answers and reports for each, naming it", async () => {
    const now = Date.now();
    const common = { start: now - 2 * 3_600_000, intervalMs: 60_000 };
    const alpha = await startSimulator({
      ...common,
      seed: 3,
      orgId: "org-alpha",
      orgName: "Alpha",
      apiKey: "key-alpha",
    });
    const beta = await startSimulator({
      ...common,
      seed: 5,
      orgId: "org-beta",
      orgName: "Beta",
      apiKey: "key-beta",
    });
    sims = [alpha, beta];
    router = await startOrgRouter(sims);
    const fake = await startFakeSlack();
    slack = fake;
    fake.setMembers(CHANNEL, [RESPONDER]);
    fake.addUser({ id: RESPONDER, name: "responder", email: "responder@example.com" });
    const databasePath = join(tempDir(), "orgs.db");
    const config = parseConfig({
      ATLASSIAN_ORG_ID: "org-alpha, org-beta",
      ATLASSIAN_API_KEY: "key-alpha,key-beta",
      ATLASSIAN_API_BASE_URL: router.url,
      SLACK_BOT_TOKEN: "xoxb-orgs",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_API_URL: fake.url,
      PORT: "0",
      HOST: "127.0.0.1",
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      DATABASE_PATH: databasePath,
    });
    const logs = capturedLogger("info");
    const running = await startApp({
      config,
      logger: logs.logger,
      clock: systemClock,
    });
    app = running;
    const base = `http://127.0.0.1:${running.port}`;
    await until(
      () => (logs.text().match(/backfill done/g) ?? []).length === 2,
      "both backfills",
      15_000,
    );

    // A live destructive call in each organization: one alert each, naming its organization.
    alpha.injectEvents([destructiveCall(alpha, "live-alpha-1", "Mallory")]);
    beta.injectEvents([destructiveCall(beta, "live-beta-1", "Trudy")]);
    const alertOf = (name: string) =>
      fake.messages(CHANNEL).filter((m) => m.text.includes(`deleteJiraIssue by ${name}`));
    await until(
      () => alertOf("Mallory").length > 0 && alertOf("Trudy").length > 0,
      "an alert from each organization",
      20_000,
    );
    const [fromAlpha] = alertOf("Mallory");
    const [fromBeta] = alertOf("Trudy");
    if (!fromAlpha || !fromBeta) throw new Error("alerts missing");
    expect(alertOf("Mallory")).toHaveLength(1);
    expect(alertOf("Trudy")).toHaveLength(1);
    expect(fromAlpha.text).toBe(
      `[HIGH] alert ${fromAlpha.metadata?.event_payload.alert_id}: deleteJiraIssue by Mallory — mallory@example.com on acme.atlassian.net · Alpha`,
    );
    expect(fromBeta.text).toBe(
      `[HIGH] alert ${fromBeta.metadata?.event_payload.alert_id}: deleteJiraIssue by Trudy — trudy@example.com on acme.atlassian.net · Beta`,
    );
    expect(JSON.stringify(fromAlpha.blocks)).toContain("Organization: *Alpha*");
    expect(JSON.stringify(fromBeta.blocks)).toContain("Organization: *Beta*");
    expect(fromAlpha.metadata?.event_payload).toMatchObject({ org_id: "org-alpha" });
    expect(fromBeta.metadata?.event_payload).toMatchObject({ org_id: "org-beta" });

    // Each organization's events are stored under its own id.
    const reader = new Database(databasePath, { readonly: true });
    try {
      const idsOf = (orgId: string) =>
        new Set(
          reader
            .prepare<[string], { id: string }>("SELECT id FROM events WHERE org_id = ?")
            .all(orgId)
            .map((row) => row.id),
        );
      const alphaIds = idsOf("org-alpha");
      const betaIds = idsOf("org-beta");
      expect(alphaIds.has("live-alpha-1")).toBe(true);
      expect(betaIds.has("live-beta-1")).toBe(true);
      expect(alphaIds.has("live-beta-1")).toBe(false);
      const fromSim = (sim: Simulator) => new Set([...sim.validEventsUpTo()].map((e) => e.id));
      const alphaSim = fromSim(alpha);
      const betaSim = fromSim(beta);
      expect(alphaIds.size).toBeGreaterThan(1);
      expect([...alphaIds].every((id) => alphaSim.has(id))).toBe(true);
      expect([...betaIds].every((id) => betaSim.has(id))).toBe(true);
    } finally {
      reader.close();
    }

    // A click on each acknowledges it; an alert of an organization not watched is refused.
    const url = `${base}/slack/events`;
    const alphaAlert = alertIdOf(fromAlpha) as string;
    const betaAlert = alertIdOf(fromBeta) as string;
    expect((await click(url, fromAlpha, alphaAlert, "ack-alpha")).status).toBe(200);
    expect((await click(url, fromBeta, betaAlert, "ack-beta")).status).toBe(200);
    const acknowledged = (ts: string) =>
      JSON.stringify(fake.messages(CHANNEL).find((m) => m.ts === ts)?.blocks).includes(
        `Acknowledged by <@${RESPONDER}>`,
      );
    await until(
      () => acknowledged(fromAlpha.ts) && acknowledged(fromBeta.ts),
      "both acknowledged",
      10_000,
    );

    const writer = openStore(databasePath);
    let otherId: number;
    try {
      const alerts = new AlertStore(writer);
      expect(alerts.get(Number(alphaAlert.split(".")[0]))).toMatchObject({
        orgId: "org-alpha",
        status: "acknowledged",
      });
      expect(alerts.get(Number(betaAlert.split(".")[0]))).toMatchObject({
        orgId: "org-beta",
        status: "acknowledged",
      });
      otherId = alerts.insert({
        orgId: "org-gamma",
        ruleId: "mcp-destructive",
        severity: "high",
        groupKey: "mcp-destructive|acc-eve",
        title: "deleteJiraIssue by Eve",
        detail: {},
        userId: "acc-eve",
        userName: "Eve",
        userEmail: "eve@example.com",
        authKind: "oauth",
        firstEventSeq: 1,
        lastEventSeq: 1,
        firstSeen: now,
        lastSeen: now,
        eventCount: 1,
        tools: ["deleteJiraIssue"],
        late: false,
        suppressedBy: null,
        notify: false,
        createdAt: now,
      });
    } finally {
      writer.close();
    }
    expect((await click(url, fromAlpha, String(otherId), "ack-other")).status).toBe(200);
    await until(() => fake.responses.some((r) => r.id === "ack-other"), "the refusal", 10_000);
    expect(JSON.stringify(fake.responses.find((r) => r.id === "ack-other")?.body)).toContain(
      "not known here",
    );

    // Queries: org: by name, an unknown org, and no org (the first, said so).
    const ask = async (text: string, id: string) => {
      const response = await sendCommand(fake, url, SECRET, id, {
        text,
        user_id: RESPONDER,
        team_id: "T0FAKE",
        channel_id: CHANNEL,
      });
      expect(response.status).toBe(200);
      await until(() => fake.responses.some((r) => r.id === id), `the reply ${id}`, 10_000);
      return JSON.stringify(fake.responses.find((r) => r.id === id)?.body);
    };
    const inBeta = await ask("org:beta user:trudy@example.com since:1d", "q-beta");
    expect(inBeta).toContain("MCP activity in Beta · org:beta user:trudy@example.com");
    expect(inBeta).toContain("deleteJiraIssue");
    const trudyInAlpha = await ask("org:org-alpha user:trudy@example.com since:1d", "q-alpha");
    expect(trudyInAlpha).toContain(
      "No MCP calls by `user:trudy@example.com` are stored in Alpha: nobody by that e-mail made one there (`org:` asks about another organization).",
    );
    const unknown = await ask("org:gamma since:1d", "q-unknown");
    expect(unknown).toContain("no watched organization is called");
    expect(unknown).toContain("• Alpha (org-alpha)\\n• Beta (org-beta)");
    const unnamed = await ask("user:mallory@example.com since:1d", "q-default");
    expect(unnamed).toContain("MCP activity in Alpha (the first of 2 organizations");
    expect(unnamed).toContain("deleteJiraIssue");

    // Status names each organization.
    const status = await ask("status", "q-status");
    expect(status).toContain("2 organizations watched");
    expect(status).toContain("*Alpha:* healthy");
    expect(status).toContain("*Beta:* healthy");

    // /healthz lists both; the top-level poller section is the first organization's.
    const health = (await (await fetch(`${base}/healthz`)).json()) as {
      status: string;
      poller: { ok: boolean; eventsStored: number };
      organizations: {
        orgId: string;
        name: string;
        poller: { ok: boolean; eventsStored: number };
      }[];
    };
    expect(health.status).toBe("ok");
    expect(health.organizations.map((o) => [o.orgId, o.name, o.poller.ok])).toEqual([
      ["org-alpha", "Alpha", true],
      ["org-beta", "Beta", true],
    ]);
    expect(health.poller.eventsStored).toBe(health.organizations[0]?.poller.eventsStored);

    // Metrics count each organization's polls.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^mcp_activity_polls_total\{org="org-alpha",outcome="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^mcp_activity_polls_total\{org="org-beta",outcome="ok"\} [1-9]/m);

    // A digest for each, its title naming the organization.
    expect(await running.digestNow()).toBe("queued");
    const digest = (name: string) =>
      fake
        .messages(CHANNEL)
        .some((m) =>
          JSON.stringify(m.blocks ?? []).includes(`Daily MCP activity digest · ${name}`),
        );
    await until(() => digest("Alpha") && digest("Beta"), "both digests", 15_000);
  }, 90_000);
});
