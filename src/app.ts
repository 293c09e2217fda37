import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import { loadRulesFile } from "./detect/rules-file.js";
import { DigestScheduler } from "./digest/schedule.js";
import { type HealthReport, healthHandler } from "./http-server.js";
import { createPoller } from "./ingest/create-poller.js";
import type { Logger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { Pruner } from "./retention/pruner.js";
import { registerAlertActions } from "./slack/actions.js";
import { startSlackApp } from "./slack/app.js";
import { registerAskActions } from "./slack/ask-actions.js";
import type { StatusFigures } from "./slack/blocks/query.js";
import { createWebClient } from "./slack/client.js";
import { registerCommand } from "./slack/commands.js";
import { SlackDirectory } from "./slack/directory.js";
import { FollowUps } from "./slack/followups.js";
import { KeyExpiryNotices } from "./slack/key-expiry.js";
import { Notifier } from "./slack/notifier.js";
import { alertRenderer } from "./slack/render.js";
import { Responders } from "./slack/responders.js";
import { AlertStore } from "./store/alerts.js";
import { EventStore } from "./store/events.js";
import { type Db, openStore } from "./store/open.js";
import { VERSION } from "./version.js";

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Where the HTTP server listens; all interfaces unless told. */
  readonly host?: string;
}

export interface RunningApp {
  readonly port: number;
  /** Prepares a digest of the last 24 hours now; the notifier posts it. */
  digestNow(): Promise<boolean>;
  /** Stops taking work, lets running work finish, closes the database. */
  stop(): Promise<void>;
}

function databaseOk(db: Db): boolean {
  try {
    return db.prepare("SELECT 1 AS ok").get() !== undefined;
  } catch {
    return false;
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The composition root: builds every dependency once and starts the loops. No logic here. */
export async function startApp({ config, logger, clock, host }: AppDeps): Promise<RunningApp> {
  const rules = loadRulesFile(config.rulesFile);
  const db = openStore(config.databasePath);
  const startedAt = clock.now();
  const orgId = config.atlassian.orgId;
  const metrics = new Metrics();
  const { poller, engine } = createPoller(
    config,
    { db, clock, logger, rules },
    { onPoll: (outcome) => metrics.polled(orgId, outcome) },
  );
  const client = createWebClient(
    config.slack.botToken,
    config.slack.apiUrl,
    logger.child({ component: "slack" }),
    (method, result) => metrics.slackCall(method, result),
  );
  const render = alertRenderer(db);
  const notifier = new Notifier({
    db,
    client,
    clock,
    logger,
    orgId,
    channel: config.slack.alertChannel,
    render,
  });
  const responders = new Responders({
    client,
    clock,
    logger,
    configured: config.slack.responders,
    channel: config.slack.alertChannel,
  });

  const followUps = new FollowUps({
    db,
    client,
    clock,
    logger,
    orgId,
    rules,
    directory: new SlackDirectory({ client, clock }),
    responders,
  });

  const keyExpiry = new KeyExpiryNotices({
    db,
    client,
    clock,
    logger: logger.child({ component: "api-key" }),
    orgId,
    channel: config.slack.alertChannel,
    expires: config.atlassian.apiKeyExpires,
    responders,
  });

  const report = (): HealthReport => {
    const dbOk = databaseOk(db);
    const polling = poller.health();
    const slack = notifier.health();
    const slackOk = slack.lastError?.advice === null || slack.lastError === null;
    const rulesFailure = engine.failure();
    const healthy = dbOk && polling.healthy && slackOk && rulesFailure === null;
    return {
      healthy,
      body: {
        status: healthy ? "ok" : "unhealthy",
        version: VERSION,
        uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
        database: { ok: dbOk },
        poller: {
          ok: polling.healthy,
          lastSuccessfulPoll: iso(polling.lastSuccessAt),
          lagSeconds: polling.lagSeconds,
          eventsStored: polling.eventsStored,
          mcpEventsStored: polling.mcpEventsStored,
          quarantined: polling.quarantined,
          mcpActionKeys: polling.mcpActionKeys,
          apiKeyRejected: polling.keyRejected,
          apiKeyExpires: iso(config.atlassian.apiKeyExpires ?? null),
          lastError: polling.lastError && { ...polling.lastError, at: iso(polling.lastError.at) },
        },
        rules: {
          ok: rulesFailure === null,
          lastError: rulesFailure && { ...rulesFailure, at: iso(rulesFailure.at) },
        },
        slack: {
          ok: slackOk,
          pendingDeliveries: slack.pending,
          pausedUntil: iso(slack.pausedUntil),
          lastError: slack.lastError && { ...slack.lastError, at: iso(slack.lastError.at) },
        },
      },
    };
  };
  const events = new EventStore(db);
  const alertStore = new AlertStore(db);
  metrics.watch({
    orgId,
    lagSeconds: () => poller.health().lagSeconds,
    eventsStored: () => poller.health().eventsStored,
    quarantined: () => poller.health().quarantined,
    queueDepth: () => notifier.health().pending,
    alerts: () => alertStore.tally(orgId),
  });
  const status = (): StatusFigures => {
    const polling = poller.health();
    const slack = notifier.health();
    const problems = [
      databaseOk(db) ? undefined : "the database does not answer",
      polling.healthy ? undefined : polling.lastError?.message,
      slack.lastError?.advice ?? undefined,
      engine.failure() ? `the rules cannot run: ${engine.failure()?.message}` : undefined,
    ];
    return {
      healthy: report().healthy,
      lastPoll: polling.lastSuccessAt,
      lagSeconds: polling.lagSeconds,
      lastEvent: events.newestProcessedAt(orgId),
      mcpActionKeys: polling.mcpActionKeys,
      pendingDeliveries: slack.pending,
      quarantined: polling.quarantined,
      problems: problems.filter((p): p is string => p !== undefined),
    };
  };
  const slackApp = await startSlackApp(
    config,
    logger,
    { "/healthz": healthHandler(report), "/metrics": metrics.handler() },
    (app) => {
      registerAlertActions(app, { db, clock, logger, orgId, responders, render });
      registerAskActions(app, {
        db,
        clock,
        logger,
        orgId,
        responders,
        render,
        ask: rules.ask,
        reminderAfter: (from) => followUps.reminderAfter(from),
      });
      registerCommand(app, {
        db,
        clock,
        logger,
        orgId,
        responders,
        status,
        onAnswered: (kind, seconds) => metrics.answered(kind, seconds),
      });
    },
    host,
  );
  logger.info(
    { port: slackApp.port, version: VERSION },
    `mcp-activity ${VERSION} listening on port ${slackApp.port}`,
  );

  const digests = new DigestScheduler({
    db,
    clock,
    logger: logger.child({ component: "digest" }),
    orgId,
    cron: config.digest.cron,
    timeZone: config.digest.timezone,
    health: () => {
      const polling = poller.health();
      return {
        lagSeconds: polling.lagSeconds,
        quarantined: polling.quarantined,
        keyRejected: polling.keyRejected,
        lastError: polling.lastError?.message ?? null,
      };
    },
  });

  await notifier.verify();
  const stopping = new AbortController();
  const loops = [
    poller.run(stopping.signal),
    notifier.run(stopping.signal),
    followUps.run(stopping.signal),
    keyExpiry.run(stopping.signal),
    digests.run(stopping.signal),
    new Pruner({ db, clock, logger, retentionDays: config.retentionDays }).run(stopping.signal),
  ];

  return {
    port: slackApp.port,
    digestNow: () => digests.now(),
    stop: async () => {
      stopping.abort();
      await Promise.all(loops);
      await slackApp.stop();
      db.close();
    },
  };
}
