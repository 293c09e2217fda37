import type { Clock } from "./clock.js";
import type { Config, OrganizationConfig } from "./config.js";
import { rulesProblem } from "./detect/rules-failure.js";
import type { RulesFile } from "./detect/rules-file.js";
import { pollerFails } from "./digest/not-read.js";
import { DigestScheduler } from "./digest/schedule.js";
import type { UnreadDigest } from "./domain/digest.js";
import type { OrganizationStatus } from "./domain/status.js";
import type { Poller } from "./ingest/poller.js";
import { readingStopped } from "./ingest/poller-health.js";
import { BOT_BATCH_EVENTS } from "./ingest/poller-options.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { createPoller } from "./pipeline.js";
import { AlertOutbox, type AlertOutboxOptions } from "./slack/alerts/alert-outbox.js";
import { joinedFrom } from "./slack/alerts/joined-events.js";
import { queueDigest, requeueDigests, unqueueDigest } from "./slack/digest-outbox.js";
import { queueUnreadNotice } from "./slack/digest-unread.js";
import type { SlackDirectory } from "./slack/directory.js";
import { KeyExpiryNotices } from "./slack/key-expiry.js";
import { WeeklyAttestation } from "./slack/people/attestation.js";
import { FollowUps } from "./slack/people/followups.js";
import type { Responders } from "./slack/responders.js";
import type { Db } from "./store/db.js";
import type { DigestRecord } from "./store/digests.js";
import type { Repositories } from "./store/repositories.js";
import { isoOrNull } from "./time-units.js";
import { pollerWorker } from "./workers/adapters.js";

/** What every organization's loops share: one database, one Slack workspace, one channel. */
export interface SharedDeps {
  readonly config: Config;
  readonly db: Db;
  readonly stores: Repositories;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: RulesFile;
  readonly metrics: Metrics;
  readonly directory: SlackDirectory;
  readonly responders: Responders;
  readonly render: AlertOutboxOptions["render"];
  /** Tells the outbox something was queued. */
  readonly queued: () => void;
  /** The organization's name in views; undefined while only one is watched. */
  readonly label: (orgId: string) => string | undefined;
  /** The key-expiry notices of an organization watched (of the first, for one key given for all). */
  readonly keyExpiryOf: (orgId: string) => KeyExpiryNotices | undefined;
}

/**
 * One watched organization: its poller and rules engine, what it queues for the shared channel
 * (alerts, follow-ups, digests, key-expiry notices), its metrics, and what /healthz and
 * `/mcp-activity status` say about it.
 */
export function watchOrganization(org: OrganizationConfig, shared: SharedDeps) {
  const { config, db, stores, clock, rules, metrics, responders, queued } = shared;
  const { orgId } = org;
  const orgIds = config.atlassian.organizations.map((o) => o.orgId);
  const channel = config.slack.alertChannel;
  const logger = shared.label(orgId) === undefined ? shared.logger : shared.logger.child({ orgId });
  const organization = () => shared.label(orgId);
  /** Its place in the list of /healthz's `organizations`. */
  const index = config.atlassian.organizations.findIndex((o) => o.orgId === orgId);
  const { poller, engine } = createPoller(
    { ...config, atlassian: { ...config.atlassian, ...org } },
    { db, stores, clock, logger, rules },
    // Backfill commits of a page or more, live ones of 40 events (~2 ms on a million-event store),
    // the rules in slices of 1.5 ms: the loop that answers /healthz, /metrics and Slack is never
    // held for long.
    {
      onPoll: (outcome) => {
        metrics.polled(orgId, outcome);
        // One key given for all: the first organization's notices hear every organization's polls.
        const notices =
          org.keyWarnedBy === undefined ? keyExpiry : shared.keyExpiryOf(org.keyWarnedBy);
        notices?.pollEnded("kind" in outcome ? outcome.kind : null, orgId);
      },
      onStored: (added) => metrics.stored(orgId, added),
      batchSize: BOT_BATCH_EVENTS,
    },
    { sliced: true },
  );
  const alerts = new AlertOutbox({
    outbox: stores.outbox,
    deliveries: stores.deliveries,
    logger: logger.child({ component: "alerts" }),
    orgId,
    channel,
    render: shared.render,
    now: () => clock.now(),
    organization,
    maxPerHour: rules.maxAlertsPerHour,
    joined: joinedFrom(stores),
    backlog: stores.channelBacklog,
    mention: () => responders.mention(),
  });
  const followUps = new FollowUps({
    stores,
    clock,
    logger,
    orgId,
    orgIds,
    rules,
    directory: shared.directory,
    responders,
    organization,
    queued,
  });
  const keyExpiry = new KeyExpiryNotices({
    notices: stores.notices,
    outbox: stores.outbox,
    clock,
    logger: logger.child({ component: "api-key" }),
    orgId,
    channel,
    // One key given for all: the first organization warns for them all.
    expires: org.keyWarnedBy === undefined ? org.apiKeyExpires : undefined,
    keyTag: org.apiKey.fingerprint("api key"),
    alsoOf: () => org.keyAlsoOf.map((id) => [shared.label(id), id] as const),
    responders,
    organization,
    queued,
  });
  const digestOptions = {
    stores,
    clock,
    logger: logger.child({ component: "digest" }),
    orgId,
    timeZone: config.digest.timezone,
    organization,
    queue: (digest: DigestRecord, now: number) => {
      queueDigest(stores.outbox, digest, channel, now);
      queued();
    },
    unqueue: (digestId: number, now: number) => unqueueDigest(stores.outbox, digestId, now),
    readThrough: () => poller.readThrough(),
    pollSoon: () => poller.pollSoon(),
    pollerFailing: () => pollerFails(poller.health()),
    unread: (digest: UnreadDigest, now: number) => {
      const name = organization();
      queueUnreadNotice(
        stores.outbox,
        { orgId, channel, organization: name === undefined ? undefined : { name, index } },
        digest,
        now,
      );
      queued();
    },
    health: () => {
      const polling = poller.health();
      return {
        lagSeconds: polling.lagSeconds,
        quarantined: polling.quarantined,
        keyRejected: polling.keyRejected,
        lastError: polling.lastError?.message ?? null,
      };
    },
  };
  const digests = new DigestScheduler({ ...digestOptions, cron: config.digest.cron });
  const weekly =
    config.digest.weeklyCron === undefined
      ? undefined
      : new DigestScheduler({ ...digestOptions, cron: config.digest.weeklyCron, kind: "weekly" });
  const attestation =
    rules.attestation &&
    new WeeklyAttestation({
      stores,
      clock,
      logger,
      orgId,
      orgIds,
      cron: rules.attestation.cron,
      timeZone: config.digest.timezone,
      minCalls: rules.attestation.minCalls,
      directory: shared.directory,
      organization,
      queued,
      readThrough: () => poller.readThrough(),
      pollSoon: () => poller.pollSoon(),
    });
  requeueDigests(stores.outbox, stores.digests, orgId, channel, clock.now());
  // Queued for Slack, or waiting to be (held back while it does not take the channel's posts).
  const waiting = () => stores.outbox.waitingFor(orgId) + stores.deliveries.backlog(orgId);
  const polling = metrics.perScrape(() => poller.health());
  metrics.watch({
    orgId,
    lagSeconds: () => polling().lagSeconds,
    eventsStored: () => polling().eventsStored,
    quarantined: () => polling().quarantined,
    queueDepth: waiting,
    alerts: () => stores.alerts.tally(orgId),
  });

  return {
    orgId,
    poller,
    keyExpiry,
    alerts,
    followUps,
    digests,
    /** The `poller` section of /healthz. */
    pollerSection: () =>
      pollerSection(poller, org.apiKeyExpires, stores.pollStates.backfilling(orgId)),
    rulesSection: () => {
      const failure = engine.failure();
      return {
        ok: failure === null,
        lastError: failure && { ...failure, at: isoOrNull(failure.at) },
      };
    },
    /** What `/mcp-activity status` says about this organization, after the `common` problems. */
    status: (common: readonly (string | undefined)[]): Omit<OrganizationStatus, "organization"> => {
      const polling = poller.health();
      const failure = engine.failure();
      const backfilling = stores.pollStates.backfilling(orgId);
      // Nothing stored and the poll failing: the history is not being read, and the failure is
      // why, told before three intervals make the poller unhealthy.
      const unread = backfilling && polling.eventsStored === 0 && polling.lastError !== null;
      const problems = [
        ...common,
        polling.healthy && !unread ? undefined : polling.lastError?.message,
        failure ? rulesProblem(failure) : undefined,
      ];
      return {
        healthy: polling.healthy && failure === null,
        lastPoll: polling.lastSuccessAt,
        lagSeconds: polling.lagSeconds,
        lastEvent: stores.events.newestProcessedAt(orgId),
        mcpActionKeys: polling.mcpActionKeys,
        pendingDeliveries: waiting(),
        quarantined: polling.quarantined,
        backfilling: backfilling
          ? { stored: polling.eventsStored, unread, stopped: readingStopped(polling) }
          : null,
        problems: problems.filter((p): p is string => p !== undefined),
      };
    },
    /** Its background work: polling (with the rules), follow-ups, key-expiry notices, digests (daily, weekly when set), the weekly check. */
    workers: [
      pollerWorker(poller, () => engine.failure(), orgId),
      followUps.worker,
      keyExpiry.worker,
      digests.worker,
      ...(attestation ? [attestation.worker] : []),
      ...(weekly ? [weekly.worker] : []),
    ],
  };
}

export type WatchedOrganization = ReturnType<typeof watchOrganization>;

function pollerSection(poller: Poller, apiKeyExpires: number | undefined, backfilling: boolean) {
  const polling = poller.health();
  // History left to read that nothing reads until a setting is fixed: not said to be read.
  const stopped = backfilling ? readingStopped(polling) : null;
  return {
    ok: polling.healthy,
    lastSuccessfulPoll: isoOrNull(polling.lastSuccessAt),
    lagSeconds: polling.lagSeconds,
    // The first poll still reading the history: the lag is the history's, not the live poll's.
    backfilling: backfilling && stopped === null,
    historyUnread: stopped,
    eventsStored: polling.eventsStored,
    mcpEventsStored: polling.mcpEventsStored,
    quarantined: polling.quarantined,
    mcpActionKeys: polling.mcpActionKeys,
    apiKeyRejected: polling.keyRejected,
    apiKeyExpires: isoOrNull(apiKeyExpires ?? null),
    lastError: polling.lastError && { ...polling.lastError, at: isoOrNull(polling.lastError.at) },
  };
}
