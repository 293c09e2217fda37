import type { App } from "@slack/bolt";
import type { Alert } from "../../domain/alert.js";
import { keysOfPerson } from "../../domain/person-key.js";
import type { FollowUp } from "../../store/followups.js";
import type { ActionDeps } from "../alerts/actions.js";
import { applyTriage } from "../alerts/triage.js";
import { ASK_ACTIONS } from "../blocks/ask.js";
import {
  directMessageOf,
  type GivenUp,
  isGivenUpNamed,
  isNamed,
  type MessageAt,
  type RowRef,
} from "../blocks/row-ref.js";
import { onIdButton } from "../id-button.js";
import type { AddressStores } from "./address-now.js";
import { addressAsked } from "./whom-to-ask.js";

export interface AskActionDeps extends ActionDeps {
  /** Who has an address now: whom a "no" covers. */
  readonly activity: AddressStores["activity"];
}

/**
 * Whom a "no" covers besides the alert's account, as a Not me does: the address the person was
 * asked at, and every account that has it now.
 */
function askedKeys(deps: AskActionDeps, alert: Alert, now: number): string[] {
  const { followUps } = deps.triage.stores;
  const { activity } = deps;
  const email = addressAsked(alert, { followUps, activity, orgIds: deps.orgs.ids }, now)?.email;
  if (email === undefined) return [];
  return keysOfPerson(activity.holdersOf(alert.orgId, email, now), email);
}

/** A question whose sending was given up (answered since or not), its message never stored. */
function givenUp(alert: Alert, followUp: FollowUp | undefined): GivenUp | undefined {
  const { askState, askedUser, dmTs } = followUp ?? {};
  if (!askedUser || dmTs !== null || (askState !== "not-asked" && askState !== "answered"))
    return undefined;
  return { asked: askedUser, createdAt: alert.createdAt };
}

/**
 * The person's answer to "did you do this?", decided by the triage core: only the person asked
 * may answer, once. "Yes" is noted in the trail and the thread (and marks the alert expected for
 * the rules configured so, and stops its reminders, unless the person is a responder); "no" makes
 * the alert high severity and open again, ends the mutes covering the person (of the alert's
 * account, of the address they were asked at and of every account that has it; raising again what
 * they hid) and calls the responders.
 */
export function registerAskActions(app: App, deps: AskActionDeps): void {
  const log = deps.logger.child({ component: "ask" });
  const { orgs } = deps;
  const { alerts, followUps } = deps.triage.stores;

  /** Whether a button names this alert's question (see isNamed and isGivenUpNamed). */
  function names(
    alert: Alert,
    ref: RowRef,
    click: { user: string; message: MessageAt | undefined },
  ): boolean {
    const followUp = followUps.get(alert.orgId, alert.id);
    return (
      isNamed(
        ref,
        { stamp: alert.createdAt, message: () => directMessageOf(followUp) },
        click.message,
      ) || isGivenUpNamed(ref, givenUp(alert, followUp), followUps.stampedSince(), click)
    );
  }

  onIdButton(
    app,
    [ASK_ACTIONS.yes, ASK_ACTIONS.no],
    async ({ user, actionId, id, stamp, message, tell }) => {
      const alert = id === undefined ? undefined : alerts.get(id);
      if (
        !alert ||
        !orgs.includes(alert.orgId) ||
        !names(alert, { id: alert.id, stamp }, { user, message })
      ) {
        await tell("That question is not known here any more.");
        return;
      }
      const answer = actionId === ASK_ACTIONS.yes ? "yes" : "no";
      // A responder's "yes" about themselves handles nothing: whether they are one is checked
      // now. Untold (a look-up failed), a "yes" waits; a "no" never does, it only raises alarm.
      const check = await deps.responders.check(user);
      if (!check.ok && check.retryable && answer === "yes") {
        await tell("Your answer could not be taken right now; try again in a minute.");
        return;
      }
      const now = deps.clock.now();
      const applied = applyTriage(
        deps.triage,
        alert.id,
        { kind: "answer", answer },
        { id: user, notResponder: check.ok ? null : check.message, self: true },
        now,
        answer === "no" ? askedKeys(deps, alert, now) : [],
      );
      deps.queued();
      if (applied?.decision.refused) {
        log.warn(
          { user, alertId: alert.id },
          `an answer refused: ${applied.decision.refused.message}`,
        );
        await tell(applied.decision.refused.message);
        return;
      }
      log.info(
        { user, alertId: alert.id, answer },
        `alert ${alert.id}: the person answered ${answer}`,
      );
    },
    { clock: deps.clock, log },
  );
}
