import { type Clock, monotonicNow } from "./clock.js";
import type { Config } from "./config.js";
import { type OnDemand, onDemandOfAll } from "./digest/schedule.js";
import { createExporter } from "./export/create.js";
import { healthReport } from "./health-report.js";
import { healthHandler } from "./http-server.js";
import type { Poller } from "./ingest/poller.js";
import { unfinishedReclassifyLines } from "./ingest/reclassify-unfinished.js";
import { toolCatalogue } from "./ingest/tools.js";
import { loadRulesFile, rulesFileAt, rulesFileWarnings } from "./load-rules.js";
import type { Logger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { metricsHandler, openMetricsWarning } from "./metrics-access.js";
import { WatchedOrgs } from "./organizations.js";
import { Pruner } from "./retention/pruner.js";
import { alertRenderer } from "./slack/alerts/render.js";
import { startSlackApp } from "./slack/app.js";
import { botClient } from "./slack/client.js";
import { createPoster } from "./slack/delivery.js";
import { SlackDirectory } from "./slack/directory.js";
import { registerHandlers } from "./slack/handlers.js";
import { HomeTab } from "./slack/home/home.js";
import { SlackPauses } from "./slack/outbox/pauses.js";
import { Responders } from "./slack/responders.js";
import type { SignatureChecks } from "./slack/signatures.js";
import { type SocketConnection, socketDown } from "./slack/socket-connection.js";
import { statusFigures } from "./status-figures.js";
import { type Checkpointer, startCheckpointer } from "./store/checkpointer.js";
import { databaseFiles } from "./store/database-files.js";
import type { Db } from "./store/db.js";
import { holdInstanceLock, type InstanceLock } from "./store/instance-lock.js";
import { openStore } from "./store/open.js";
import { repositories } from "./store/repositories.js";
import { changedFile, watchDatabaseFiles } from "./store/watch-files.js";
import { VERSION } from "./version.js";
import { untilStopped } from "./wait.js";
import { type WatchedOrganization, watchOrganization } from "./watched-organization.js";
import { posterWorker } from "./workers/adapters.js";
import { Supervisor } from "./workers/supervisor.js";

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Opens the database at DATABASE_PATH (default: openStore); tests pass their own. */
  readonly open?: (path: string) => Db;
  /** Aborts once the process is told to stop: the workers then never start. */
  readonly stopping?: AbortSignal;
}

export interface RunningApp {
  readonly port: number;
  /**
   * Prepares a digest of the last 24 hours now, for each organization (on demand: the schedule
   * is not affected); the outbox posts it.
   */
  digestNow(): Promise<OnDemand>;
  /** Stops taking work, lets running work finish, closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the bot on its database, which no other process polls into or posts from meanwhile (see
 * holdInstanceLock): the lock is held until `stop`.
 */
export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const lock = holdInstanceLock(deps.config.databasePath);
  try {
    const app = await compose(deps, lock);
    return {
      ...app,
      stop: async () => {
        await app.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The composition root: builds every dependency once and starts the workers. No logic here. */
async function compose(
  { config, logger, clock, open = openStore, stopping }: AppDeps,
  lock: InstanceLock,
): Promise<RunningApp> {
  const rules = loadRulesFile(config.rulesFile);
  const db = open(config.databasePath);
  const files = databaseFiles(config.databasePath, lock);
  let checkpointer: Checkpointer | undefined; // started with the workers
  const metrics = new Metrics(logger);
  const pollers = new Map<string, Poller>();
  const orgs = new WatchedOrgs(
    config.atlassian.organizations.map((org) => org.orgId),
    (orgId) => pollers.get(orgId)?.orgName,
  );
  const stores = repositories(db);
  stores.classifiedWith.record(rulesFileAt(config.rulesFile), clock.now());
  const unfinished = stores.reclassifyUnfinished.unfinished();
  for (const { orgId, line } of unfinishedReclassifyLines(unfinished, config.databasePath))
    logger.warn({ orgId }, line);
  const pauses = new SlackPauses({ store: stores.pauses, clock, logger });
  const { client, scopes } = botClient(
    config.slack.botToken,
    config.slack.apiUrl,
    logger.child({ component: "slack" }),
    { observe: (method, result) => metrics.slackCall(method, result), pauses },
  );
  const render = alertRenderer(stores, (id) => orgs.label(id), clock, logger);
  const directory = new SlackDirectory({ client, clock, lacking: () => scopes.lacking() });
  const responders = new Responders({
    client,
    directory,
    clock,
    logger,
    configured: config.slack.responders,
    channel: config.slack.alertChannel,
  });
  let kick = () => {};
  const queued = () => kick();
  const shared = {
    config,
    db,
    stores,
    clock,
    logger,
    rules,
    metrics,
    directory,
    responders,
    render,
    queued,
    label: (id: string) => orgs.label(id),
    // Asked as polls end: every organization is watched by then.
    keyExpiryOf: (id: string) => watched.find((w) => w.orgId === id)?.keyExpiry,
  };
  const [first, ...others] = config.atlassian.organizations.map((org) =>
    watchOrganization(org, shared),
  );
  if (!first) throw new Error("no organization to watch");
  const watched: [WatchedOrganization, ...WatchedOrganization[]] = [first, ...others];
  for (const w of watched) pollers.set(w.orgId, w.poller);
  const poster = createPoster({
    stores,
    client,
    pauses,
    clock,
    logger,
    alertChannel: config.slack.alertChannel,
    producers: watched.map((w) => (enough: () => boolean) => w.alerts.produceSome(enough).more),
    onSent: (kind, result) => metrics.sent(kind, result),
    holdsInstanceLock: true, // startApp holds it
  });
  kick = () => poster.kick();
  const exporter =
    config.export &&
    createExporter(config.export, {
      store: stores.export,
      orgIds: orgs.ids,
      clock,
      logger,
      metrics,
      tools: toolCatalogue(rules.tools),
    });
  const home = new HomeTab({
    stores,
    directory,
    clock,
    logger,
    responders,
    orgs,
    organizations: () =>
      watched.map((w) => ({
        orgId: w.orgId,
        status: () => w.status([]),
        apiKeyExpires: config.atlassian.organizations.find((o) => o.orgId === w.orgId)
          ?.apiKeyExpires,
        apiKeyRejected: () => w.poller.health().keyRejected,
      })),
    queued,
  });
  const supervisor = new Supervisor(
    [
      posterWorker(poster, {
        oldestPendingAt: () => stores.outbox.health().oldestPendingAt,
        now: () => clock.now(),
        missingScopes: () => scopes.lacking(),
      }),
      home.worker,
      ...watched.flatMap((w) => w.workers),
      new Pruner({
        stores,
        clock,
        logger,
        retentionDays: config.retentionDays,
        rules: rules.rules,
        emptyLog: () => checkpointer?.emptyLog() ?? stores.emptyLog(),
        keepUp: () => checkpointer?.keepUp() ?? Promise.resolve(),
        ...(exporter ? { exporting: new Set(orgs.ids) } : {}),
      }).worker,
      ...(exporter ? [exporter.worker] : []),
    ],
    clock,
  );
  metrics.watchOutbox(() => stores.outbox.health(), clock);
  metrics.watchWorkers(() => supervisor.health());
  metrics.watchDatabaseFiles(() => files.problem());
  let [socket, signatures]: [SocketConnection?, SignatureChecks?] = [];
  const sources = {
    workers: supervisor,
    databaseAnswers: stores.answers,
    databaseFiles: () => files.problem(),
    clock,
    started: monotonicNow(clock),
    orgs,
    watched,
    outbox: stores.outbox,
    heldBack: () => watched.reduce((n, w) => n + stores.deliveries.backlog(w.orgId), 0),
    pauses,
    poster,
    responders: () => responders.status(),
    respondersProblem: () => responders.problem(),
    missingScopes: () => scopes.lacking(),
    exportSection: exporter && (() => exporter.section()),
    socketMode: () => socket?.state(),
    signatures: () => signatures?.state(),
  };
  if (config.slack.appToken !== undefined)
    metrics.watchSocket(() => !socketDown(socket?.state(), clock.now()));

  const slackApp = await startSlackApp(
    config,
    logger,
    {
      "/healthz": healthHandler(() => healthReport(sources)),
      "/metrics": metricsHandler(metrics, config.metricsToken),
    },
    (app) =>
      registerHandlers(app, {
        stores,
        rules,
        render,
        client,
        directory,
        responders,
        home,
        orgs,
        clock,
        logger,
        timeZone: config.digest.timezone,
        reminderAfter: (from) => first.followUps.reminderAfter(from),
        produce: (id) => watched.find((w) => w.orgId === id)?.alerts.produce(),
        postAlone: (alert, now) =>
          watched.find((w) => w.orgId === alert.orgId)?.alerts.postAlone(alert, now) ?? false,
        status: () => statusFigures(sources),
        onAnswered: (kind, seconds) => metrics.answered(kind, seconds),
        queued,
        delivery: poster,
        stopped: () => changedFile(files),
      }),
    config.host,
    clock,
  );
  ({ socket, signatures } = slackApp);
  slackApp.warm(); // the first command or click does not wait for auth.test
  logger.info(
    {
      port: slackApp.port,
      version: VERSION,
      organizations: orgs.ids.length,
      rules: config.rulesFile ?? "defaults",
    },
    `mcp-activity ${VERSION} listening on port ${slackApp.port}, with ${config.rulesFile ? `the rules of ${config.rulesFile}` : "the default rules (no RULES_FILE)"}`,
  );
  for (const line of rulesFileWarnings(config.rulesFile, rules, clock.now())) logger.warn(line);
  const exposed = openMetricsWarning(
    config.host,
    config.metricsToken !== undefined,
    config.slack.appToken !== undefined,
  );
  if (exposed) logger.warn({ host: config.host }, exposed);

  // Told to stop while Slack is asked who the bot is: no worker starts, and the stop is not held.
  await untilStopped(
    poster.verify().then(() => responders.refresh()),
    stopping,
  );
  checkpointer = db.memory ? undefined : startCheckpointer(db, { logger, file: files.opened });
  // Its thread holds the log the bot's connection has before anything may remove it (the watch).
  await checkpointer?.ready;
  if (!stopping?.aborted) supervisor.start();
  const watch = watchDatabaseFiles(files, {
    clock,
    logger,
    halt: (problem) => supervisor.halt({ message: problem, kind: "database" }),
  });

  return {
    port: slackApp.port,
    digestNow: async () => {
      const made: OnDemand[] = [];
      for (const w of watched) made.push(await w.digests.now());
      return onDemandOfAll(made);
    },
    stop: async () => {
      await watch.stop();
      // Side by side, within the 10 s a stop may take: the workers' (a Slack call given up after
      // 8 s) and Slack's requests' (up to Slack's 3 s for those being answered, then handlers).
      await Promise.all([supervisor.stop(), slackApp.stop()]);
      await checkpointer?.stop();
      db.close();
    },
  };
}
