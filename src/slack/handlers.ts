import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { RulesFile } from "../detect/rules-file.js";
import type { Alert } from "../domain/alert.js";
import type { StatusFigures } from "../domain/status.js";
import type { Logger } from "../logger.js";
import type { WatchedOrgs } from "../organizations.js";
import type { Repositories } from "../store/repositories.js";
import { registerAlertActions } from "./alerts/actions.js";
import type { SlackMessage } from "./blocks/alert.js";
import { registerCommand } from "./commands/slash-command.js";
import type { SlackDirectory } from "./directory.js";
import type { HomeTab } from "./home/home.js";
import { registerHome } from "./home/home-actions.js";
import type { Watches } from "./outbox/watch.js";
import { registerAskActions } from "./people/ask-actions.js";
import { registerAttestationActions } from "./people/attestation-actions.js";
import type { Responders } from "./responders.js";
import { refuseWhileStopped, type StoppedFor } from "./stopped.js";
import { registerUnanswered } from "./unanswered.js";

export interface HandlerDeps {
  readonly stores: Repositories;
  readonly rules: RulesFile;
  readonly render: (alert: Alert) => SlackMessage;
  readonly client: WebClient;
  readonly directory: SlackDirectory;
  readonly responders: Responders;
  readonly home: HomeTab;
  readonly orgs: WatchedOrgs;
  readonly clock: Clock;
  readonly logger: Logger;
  /** DIGEST_TIMEZONE: where the weekly check's days are named. */
  readonly timeZone: string;
  /** When the next reminder falls due after `from` (null: reminders off). */
  readonly reminderAfter: (from: number) => number | null;
  /** Queues an organization's alerts now (a "not me" raises some). */
  readonly produce: (orgId: string) => void;
  /** Posts alone an alert counted in a roll-up or summary that a "not me" made high. */
  readonly postAlone: (alert: Alert, now: number) => boolean;
  readonly status: () => StatusFigures;
  readonly onAnswered: (kind: "command" | "button", seconds: number) => void;
  /** Told when messages were queued, to send them now. */
  readonly queued: () => void;
  /** The poster: what became of the message a click queued. */
  readonly delivery: Watches;
  /** The file the bot has stopped for, if it has (see stopped.ts): nothing people do is then taken. */
  readonly stopped: () => StoppedFor | null;
}

/**
 * Whether an alert is about the one who clicks: every account that ever had their address counts
 * (nobody may handle an alert about an account they once were, whatever its address now), in
 * every organization whose people are stored, watched or no longer: an Atlassian account is the
 * same in each, and the audit log of one may name it without the e-mail another gives.
 */
export const everyAccountOf =
  (stores: Pick<Repositories, "activity" | "events">) =>
  (email: string): readonly string[] => [
    ...new Set(
      stores.events
        .peopleOrgs()
        .flatMap((orgId) => stores.activity.personIds(orgId, [email], "email")),
    ),
  ];

/** Every button, view and command the app answers, on one Bolt app. */
export function registerHandlers(app: App, d: HandlerDeps): void {
  const { stores, orgs, clock, logger, queued } = d;
  refuseWhileStopped(app, d.stopped, logger, clock);
  const triage = {
    stores,
    settings: { expectedOnYes: d.rules.ask.expectedOnYes },
    render: d.render,
    mention: () => d.responders.mention(),
    reminderAfter: d.reminderAfter,
    organization: (id: string) => orgs.label(id),
    postAlone: d.postAlone,
  };
  const actions = {
    triage,
    clock,
    logger,
    orgs,
    responders: d.responders,
    directory: d.directory,
    accountsOf: everyAccountOf(stores),
    events: stores.events,
    queued,
    delivery: d.delivery,
    home: d.home,
  };
  registerAlertActions(app, actions);
  registerAskActions(app, { ...actions, activity: stores.activity });
  const notMe = { triage, home: stores.home, produce: d.produce, logger };
  registerHome(app, { home: d.home, notMe, orgs, clock, logger, queued });
  registerAttestationActions(app, {
    attestations: stores.attestations,
    notMe,
    orgs,
    clock,
    logger,
    queued,
    timeZone: d.timeZone,
    accountsOf: (orgId, email) => d.home.accountsOf(orgId, email),
  });
  registerCommand(app, {
    stores,
    client: d.client,
    directory: d.directory,
    clock,
    logger,
    orgs,
    responders: d.responders,
    status: d.status,
    posture: d.rules.posture,
    onAnswered: d.onAnswered,
  });
  registerUnanswered(app, logger);
}
