import type { App } from "@slack/bolt";
import type { Clock } from "../../clock.js";
import type { Attestation } from "../../domain/attestation.js";
import type { Logger } from "../../logger.js";
import type { WatchedOrgs } from "../../organizations.js";
import type { AttestationStore } from "../../store/attestations.js";
import { dayOf } from "../../time-zone.js";
import { ATTEST_ACTIONS, answeredAttestation } from "../blocks/attestation.js";
import {
  directMessageOf,
  type GivenUp,
  isGivenUpNamed,
  isNamed,
  type MessageAt,
  type RowRef,
} from "../blocks/row-ref.js";
import { onIdButton } from "../id-button.js";
import { PRIORITY } from "../outbox/priority.js";
import { ATTESTATION_DEADLINE_MS, ATTESTATION_UPDATE_KIND, attestationRef } from "./attestation.js";
import { type Denied, denyActivity, type NotMeDeps } from "./not-me.js";

export interface AttestationActionDeps {
  readonly attestations: AttestationStore;
  readonly notMe: NotMeDeps;
  readonly orgs: WatchedOrgs;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly queued: () => void;
  /** DIGEST_TIMEZONE: the zone of the weekly check's cron, where its week's days are named. */
  readonly timeZone: string;
  /** The accounts holding an e-mail now (the Home's look-up): the person's other accounts. */
  readonly accountsOf: (orgId: string, email: string) => readonly string[];
}

/** A check whose sending was given up (its deadline passed, no message of it stored). */
function givenUp(row: Attestation, now: number): GivenUp | undefined {
  return row.dmTs === null && now >= row.createdAt + ATTESTATION_DEADLINE_MS
    ? { asked: row.slackUser, createdAt: row.createdAt }
    : undefined;
}

/**
 * The answer to the weekly check: only the person it was sent to may answer, once. "Looks right"
 * is recorded; "Not me" also raises a high alert about them (see not-me.ts). The message then
 * shows the answer instead of the buttons.
 */
export function registerAttestationActions(app: App, deps: AttestationActionDeps): void {
  const log = deps.logger.child({ component: "attestation" });
  const { outbox } = deps.notMe.triage.stores;

  /** Whether a button names this check (see isNamed and isGivenUpNamed). */
  function names(
    row: Attestation,
    ref: RowRef,
    click: { user: string; message: MessageAt | undefined },
  ): boolean {
    return (
      isNamed(ref, { stamp: row.createdAt, message: () => directMessageOf(row) }, click.message) ||
      isGivenUpNamed(ref, givenUp(row, deps.clock.now()), deps.attestations.stampedSince(), click)
    );
  }

  onIdButton(
    app,
    [ATTEST_ACTIONS.ok, ATTEST_ACTIONS.notMe],
    async ({ user, actionId, id, stamp, message, tell }) => {
      const row = id === undefined ? undefined : deps.attestations.get(id);
      if (
        !row ||
        !deps.orgs.includes(row.orgId) ||
        !names(row, { id: row.id, stamp }, { user, message })
      ) {
        await tell("That check is not known here any more.");
        return;
      }
      if (row.slackUser !== user) {
        log.warn({ user, attestation: row.id }, "a weekly check answered by someone else: refused");
        await tell("Only the person this check was sent to can answer it.");
        return;
      }
      const answer = actionId === ATTEST_ACTIONS.ok ? "yes" : "no";
      const now = deps.clock.now();
      // A "not me" is recorded with the alert that tells the security team (raised now, or
      // already for that week).
      const outcome = outbox.atomically((): Denied | "answered" | "already" => {
        if (deps.attestations.get(row.id)?.answer) return "already";
        if (answer === "yes") {
          deps.attestations.answer(row.id, answer, now);
          queueAnswered(deps, row, answer, now);
          return "answered";
        }
        const denied = denyActivity(
          deps.notMe,
          {
            orgId: row.orgId,
            accountIds: [row.accountId],
            email: row.email,
            // Found in Slack by this e-mail: the Home's Not me covers every account holding it.
            ownAccounts: [
              ...new Set([
                row.accountId,
                ...(row.email ? deps.accountsOf(row.orgId, row.email) : []),
              ]),
            ],
            since: row.weekStart,
            until: row.weekEnd,
            period: `in the week from ${dayOf(row.weekStart, deps.timeZone)} to ${dayOf(row.weekEnd - 1, deps.timeZone)}`,
            zone: `${deps.timeZone}, the digest's time zone`,
            key: `week:${row.weekStart}`,
            source: "weekly check",
            shown: row,
          },
          user,
          now,
        );
        const told = "alertId" in denied ? denied.alertId : denied.told;
        if (told === undefined) return denied;
        deps.attestations.answer(row.id, answer, now);
        deps.attestations.raised(row.id, told);
        queueAnswered(deps, row, answer, now);
        return denied;
      });
      deps.queued();
      if (outcome === "already") {
        const said = deps.attestations.get(row.id)?.answer;
        await tell(`You have answered this already (${said === "no" ? "not me" : "looks right"}).`);
        return;
      }
      log.info({ user, attestation: row.id, answer }, `weekly check ${row.id}: answered ${answer}`);
      if (typeof outcome === "object" && "refused" in outcome) await tell(outcome.refused);
    },
    { clock: deps.clock, log },
  );
}

function queueAnswered(
  deps: AttestationActionDeps,
  row: Attestation,
  answer: "yes" | "no",
  now: number,
): void {
  if (!row.dmChannel || !row.dmTs) return;
  const message = answeredAttestation(row, answer, deps.orgs.label(row.orgId));
  deps.notMe.triage.stores.outbox.enqueue(
    {
      // The id and its time, as the check's own message: a check pruned once answered gives its id
      // to a later one, whose answer must not be taken for the delivered one kept 30 days.
      key: `attestation-answered:${row.orgId}:${row.id}.${row.createdAt}`,
      kind: ATTESTATION_UPDATE_KIND,
      method: "chat.update",
      orgId: row.orgId,
      ref: attestationRef(row),
      to: { channel: row.dmChannel, ts: row.dmTs },
      payload: { text: message.text, blocks: message.blocks },
      priority: PRIORITY.update,
    },
    now,
  );
}
