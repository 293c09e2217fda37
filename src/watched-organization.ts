import type { WebClient } from "@slack/web-api";
import type { Clock } from "./clock.js";
import type { Config, OrganizationConfig } from "./config.js";
import type { RulesFile } from "./detect/rules-file.js";
import { DigestScheduler } from "./digest/schedule.js";
import { createPoller } from "./ingest/create-poller.js";
import type { Poller } from "./ingest/poller.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import type { OrganizationStatus } from "./slack/blocks/query.js";
import { SlackDirectory } from "./slack/directory.js";
import { FollowUps } from "./slack/followups.js";
import { KeyExpiryNotices } from "./slack/key-expiry.js";
import { Notifier, type NotifierOptions } from "./slack/notifier.js";
import type { ChannelPacer } from "./slack/pacer.js";
import type { Responders } from "./slack/responders.js";
import { AlertStore } from "./store/alerts.js";
import { EventStore } from "./store/events.js";
import type { Db } from "./store/open.js";

/** What every organization's loops share: one database, one Slack client, one channel. */
export interface SharedDeps {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: RulesFile;
  readonly metrics: Metrics;
  readonly client: WebClient;
  readonly responders: Responders;
  readonly render: NotifierOptions["render"];
  readonly pacer: ChannelPacer;
  /** The organization's name in views; undefined while only one is watched. */
  readonly label: (orgId: string) => string | undefined;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * One watched organization: its poller and rules engine, its notifier (into the shared channel),
 * follow-ups, digest schedule, key-expiry notices and metrics, and what /healthz and
 * `/mcp-activity status` say about it.
 */
export function watchOrganization(org: OrganizationConfig, shared: SharedDeps) {
  const { config, db, clock, rules, metrics, client, responders } = shared;
  const { orgId } = org;
  const logger = shared.label(orgId) === undefined ? shared.logger : shared.logger.child({ orgId });
  const organization = () => shared.label(orgId);
  const { poller, engine } = createPoller(
    { ...config, atlassian: { ...config.atlassian, ...org } },
    { db, clock, logger, rules },
    { onPoll: (outcome) => metrics.polled(orgId, outcome) },
  );
  const notifier = new Notifier({
    db,
    client,
    clock,
    logger,
    orgId,
    channel: config.slack.alertChannel,
    render: shared.render,
    organization,
    pacer: shared.pacer,
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
    organization,
  });
  const keyExpiry = new KeyExpiryNotices({
    db,
    client,
    clock,
    logger: logger.child({ component: "api-key" }),
    orgId,
    channel: config.slack.alertChannel,
    expires: org.apiKeyExpires,
    responders,
    organization,
  });
  const digests = new DigestScheduler({
    db,
    clock,
    logger: logger.child({ component: "digest" }),
    orgId,
    cron: config.digest.cron,
    timeZone: config.digest.timezone,
    organization,
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
  const alerts = new AlertStore(db);
  metrics.watch({
    orgId,
    lagSeconds: () => poller.health().lagSeconds,
    eventsStored: () => poller.health().eventsStored,
    quarantined: () => poller.health().quarantined,
    queueDepth: () => notifier.health().pending,
    alerts: () => alerts.tally(orgId),
  });
  const events = new EventStore(db);

  return {
    orgId,
    poller,
    notifier,
    followUps,
    digests,
    /** The `poller` section of /healthz. */
    pollerSection: () => pollerSection(poller, org.apiKeyExpires),
    rulesSection: () => {
      const failure = engine.failure();
      return { ok: failure === null, lastError: failure && { ...failure, at: iso(failure.at) } };
    },
    /** What `/mcp-activity status` says about this organization, after the `common` problems. */
    status: (common: readonly (string | undefined)[]): Omit<OrganizationStatus, "organization"> => {
      const polling = poller.health();
      const failure = engine.failure();
      const problems = [
        ...common,
        polling.healthy ? undefined : polling.lastError?.message,
        failure ? `the rules cannot run: ${failure.message}` : undefined,
      ];
      return {
        healthy: polling.healthy && failure === null,
        lastPoll: polling.lastSuccessAt,
        lagSeconds: polling.lagSeconds,
        lastEvent: events.newestProcessedAt(orgId),
        mcpActionKeys: polling.mcpActionKeys,
        pendingDeliveries: notifier.health().pending,
        quarantined: polling.quarantined,
        problems: problems.filter((p): p is string => p !== undefined),
      };
    },
    run: (signal: AbortSignal): Promise<void>[] => [
      poller.run(signal),
      notifier.run(signal),
      followUps.run(signal),
      keyExpiry.run(signal),
      digests.run(signal),
    ],
  };
}

export type WatchedOrganization = ReturnType<typeof watchOrganization>;

function pollerSection(poller: Poller, apiKeyExpires: number | undefined) {
  const polling = poller.health();
  return {
    ok: polling.healthy,
    lastSuccessfulPoll: iso(polling.lastSuccessAt),
    lagSeconds: polling.lagSeconds,
    eventsStored: polling.eventsStored,
    mcpEventsStored: polling.mcpEventsStored,
    quarantined: polling.quarantined,
    mcpActionKeys: polling.mcpActionKeys,
    apiKeyRejected: polling.keyRejected,
    apiKeyExpires: iso(apiKeyExpires ?? null),
    lastError: polling.lastError && { ...polling.lastError, at: iso(polling.lastError.at) },
  };
}
