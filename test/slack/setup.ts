import { join } from "node:path";
import type { NewAlert } from "../../src/domain/alert.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { WatchedOrgs } from "../../src/organizations.js";
import { Secret } from "../../src/secret.js";
import { AlertOutbox, type AlertOutboxOptions } from "../../src/slack/alerts/alert-outbox.js";
import { joinedFrom } from "../../src/slack/alerts/joined-events.js";
import { alertRenderer } from "../../src/slack/alerts/render.js";
import { rowRef } from "../../src/slack/blocks/row-ref.js";
import { createWebClient } from "../../src/slack/client.js";
import type { CommandDeps } from "../../src/slack/commands/slash-command.js";
import { createPoster } from "../../src/slack/delivery.js";
import { SlackDirectory } from "../../src/slack/directory.js";
import { GrantedScopes } from "../../src/slack/granted-scopes.js";
import { everyAccountOf } from "../../src/slack/handlers.js";
import { SlackPauses } from "../../src/slack/outbox/pauses.js";
import { PRIORITY } from "../../src/slack/outbox/priority.js";
import { deliveryProblem } from "../../src/slack/outbox/stalled.js";
import type { AskActionDeps } from "../../src/slack/people/ask-actions.js";
import type { Responders } from "../../src/slack/responders.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { normalizedEvent, T0 } from "../detect/fixtures.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

export const CHANNEL = "C0ALERTS";
export const BOT_TOKEN = "xoxb-test-hunter2";

/**
 * A fresh store, the fake Slack Web API, and the outbox between them (the alert producer of
 * org-1 and a poster of every kind), on a virtual clock. `queued` drains at once, as the bot's
 * poster wakes when something is queued.
 */
export async function slackRig(options: Partial<AlertOutboxOptions> & { timeoutMs?: number } = {}) {
  const clock = new VirtualClock(T0);
  const slack = await startFakeSlack({ now: () => clock.now() });
  const db = openStore(join(tempDir(), "slack.db"));
  let draining: Promise<unknown> = Promise.resolve();
  closeAfterTest(async () => {
    await draining;
    db.close();
    await slack.close();
  });
  const logs = capturedLogger();
  const stores = repositories(db);
  const pauses = new SlackPauses({ store: stores.pauses, clock, logger: logs.logger });
  const { timeoutMs, ...producer } = options;
  const scopes = new GrantedScopes(logs.logger);
  const client = createWebClient(new Secret(BOT_TOKEN), slack.url, logs.logger, {
    pauses,
    scopes: (granted) => scopes.granted(granted),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const render = alertRenderer(stores, undefined, clock, logs.logger);
  const alertOutbox = new AlertOutbox({
    outbox: stores.outbox,
    deliveries: stores.deliveries,
    logger: logs.logger,
    orgId: "org-1",
    channel: CHANNEL,
    render,
    now: () => clock.now(),
    joined: joinedFrom(stores),
    backlog: stores.channelBacklog,
    ...producer,
  });
  /** What the outbox counted for metrics: "<kind> <result>". */
  const results: string[] = [];
  const makePoster = () =>
    createPoster({
      onSent: (kind, result) => results.push(`${kind} ${result}`),
      stores,
      client,
      pauses,
      clock,
      logger: logs.logger,
      alertChannel: CHANNEL,
      producers: [(enough) => alertOutbox.produceSome(enough).more],
    });
  const poster = makePoster();
  const queued = () => {
    draining = Promise.all([draining, poster.drain()]);
  };
  const { events, alerts } = stores;
  let n = 0;
  /** Stores an event and an alert about it; returns the alert id. */
  const raise = (alert: Partial<NewAlert> = {}, event: Partial<NormalizedEvent> = {}): number => {
    n++;
    const base = normalizedEvent();
    events.insertMany([{ ...base, id: `ev-${n}`, ...event }], T0);
    const seq = events.maxSeq("org-1");
    return alerts.insert({
      orgId: "org-1",
      ruleId: "mcp-destructive",
      severity: "high",
      groupKey: `mcp-destructive|acc-${n}`,
      title: `deleteJiraIssue by person ${n}`,
      detail: {},
      userId: `acc-${n}`,
      userName: `Person ${n}`,
      userEmail: `p${n}@example.com`,
      authKind: "oauth",
      firstEventSeq: seq,
      lastEventSeq: seq,
      firstSeen: T0,
      lastSeen: T0,
      eventCount: 1,
      tools: ["deleteJiraIssue"],
      late: false,
      suppressedBy: null,
      notify: true,
      createdAt: T0,
      ...alert,
    });
  };
  /** Slack users, cached: one for the whole rig, as the app has. */
  const directory = new SlackDirectory({ client, clock, lacking: () => scopes.lacking() });
  const orgs = new WatchedOrgs(["org-1"]);
  /** What the alert and answer buttons need, with these responders. */
  const actionDeps = (o: {
    responders: Responders;
    expectedOnYes?: readonly string[];
    reminderAfter?: (from: number) => number | null;
  }): AskActionDeps => ({
    triage: {
      stores,
      settings: { expectedOnYes: o.expectedOnYes ?? [] },
      render,
      mention: () => o.responders.mention(),
      reminderAfter: o.reminderAfter ?? (() => null),
      postAlone: (alert, now) => alertOutbox.postAlone(alert, now),
    },
    clock,
    logger: logs.logger,
    orgs,
    responders: o.responders,
    directory,
    accountsOf: everyAccountOf(stores),
    activity: stores.activity,
    events: stores.events,
    queued,
    delivery: poster,
  });
  /** What /mcp-activity needs on this rig; `status` and the rest as a test sets them. */
  const commandDeps = (
    o: { responders: Responders } & Partial<Omit<CommandDeps, "responders">>,
  ): CommandDeps => ({
    stores,
    client,
    directory,
    clock,
    logger: logs.logger,
    orgs: new WatchedOrgs(["org-1"]),
    status: () => {
      throw new Error("status was not expected here");
    },
    ...o,
  });
  return {
    directory,
    actionDeps,
    commandDeps,
    /** Every drain a click or an answer started, finished. */
    settled: () => draining,
    clock,
    slack,
    db,
    logs,
    client,
    stores,
    pauses,
    render,
    alertOutbox,
    poster,
    makePoster,
    results,
    queued,
    raise,
    /** The value the app draws on an alert's buttons (its id and when it was raised). */
    buttonRef: (id: number) => rowRef(id, alerts.get(id)?.createdAt ?? 0),
    alerts,
  };
}

/** What /healthz says of delivery on the rig now (`slack.problem`). */
export const problemNow = (r: Awaited<ReturnType<typeof slackRig>>) =>
  deliveryProblem(
    r.poster.health().lastError,
    r.stores.outbox.health().oldestPendingAt,
    r.clock.now(),
  );

/** A direct message to U0PERSON queued, as a "did you do this?" question is. */
export function askSomeone(r: Awaited<ReturnType<typeof slackRig>>): void {
  r.stores.outbox.enqueue(
    {
      key: "dm:question",
      kind: "notice",
      method: "chat.postMessage",
      to: { user: "U0PERSON" },
      payload: { text: "Did you do this?" },
      priority: PRIORITY.home,
    },
    r.clock.now(),
  );
}
