/**
 * The one place where a click on an alert, or a person's answer about it, is decided: who may,
 * what changes, what is muted, what is said. Pure: the caller reads the state, applies the
 * decision in one transaction and renders the messages.
 */

import type { AlertStatus } from "../domain/alert.js";
import { snoozeReason } from "../domain/mute.js";
import { HOUR } from "../time-units.js";
import type {
  Decision,
  Learned,
  LearningAction,
  TriageAction,
  TriageActor,
  TriageSettings,
  TriageState,
} from "./decision.js";
import { QUIETS, unquietable } from "./unquietable.js";

/** After this many Expected within LEARN_DAYS, an alert offers to mute or suppress its pattern. */
const LEARN_AFTER = 3;
export const LEARN_DAYS = 30;
/** How long "Mute 30 days" mutes. */
const LEARNED_MUTE_DAYS = 30;

/** Whether an alert's message offers to mute or suppress its rule and person. */
export const offersLearning = (learned: Learned): boolean =>
  learned.expected >= LEARN_AFTER || learned.suppression !== undefined;

/** The buttons that act on an alert's rule and person rather than on the alert. */
const LEARNING = new Set<string>(["mute-30", "suppress", "unmute", "unsuppress"]);

const MUTE_DAYS = 7;

/**
 * The reason of the mute an alert's "Expected, mute 7 days" sets: it names the alert. Who set a
 * mute is kept beside its reason (see muteLabel), never in it.
 */
function expectedMuteReason(alertId: number): string {
  return `marked expected${expectedMuteTag(alertId)} muted for ${MUTE_DAYS} days`;
}

/**
 * What tells a mute set by this alert's "Expected, mute 7 days" from others of its pattern: the
 * comma ends the id, so alert 1's is not alert 12's.
 */
export const expectedMuteTag = (alertId: number): string => ` on alert ${alertId},`;
/** How long Slack accepts a signed request again: a mute within it of a running one is that one. */
const REPLAY_MS = 5 * 60_000;

/** Which status each button sets, and from which statuses it may. */
const TRANSITIONS: Record<
  "acknowledge" | "expected" | "expected-mute" | "true-positive" | "reopen",
  { readonly to: AlertStatus; readonly from: (s: AlertStatus) => boolean }
> = {
  acknowledge: { to: "acknowledged", from: (s) => s === "open" },
  expected: { to: "expected", from: (s) => s === "open" },
  "expected-mute": { to: "expected", from: (s) => s === "open" },
  "true-positive": { to: "true_positive", from: (s) => s === "open" },
  reopen: { to: "open", from: (s) => s !== "open" },
};

/** What each status reads as, after "this alert is already". */
export const DONE: Record<AlertStatus, string> = {
  open: "reopened",
  acknowledged: "acknowledged",
  expected: "marked expected",
  true_positive: "marked true positive",
};

/**
 * Actions a responder may not take on an alert about themselves: each closes or quiets it (a true
 * positive too: it stops the reminders). Reopening one they may.
 */
const NOT_ON_ONESELF = new Set([
  "acknowledge",
  "true-positive",
  "expected",
  "expected-mute",
  "snooze",
  "mute-30",
  "suppress",
]);
export const SELF_TRIAGE = "Someone else must handle alerts about you.";

/** Whether a responder may not take this action on an alert about themselves. */
export function barredOnOneself(kind: TriageAction["kind"]): boolean {
  return NOT_ON_ONESELF.has(kind);
}

const refuse = (message: string, note?: string): Decision => ({
  refused: { message, ...(note ? { note } : {}) },
  notes: [],
  show: false,
});

export function decide(
  state: TriageState,
  action: TriageAction,
  actor: TriageActor,
  now: number,
  settings: TriageSettings,
): Decision {
  if (action.kind === "answer") return decideAnswer(state, action.answer, actor, settings);
  if (actor.notResponder !== null) return refuse(actor.notResponder);
  if (actor.self && NOT_ON_ONESELF.has(action.kind))
    return refuse(
      SELF_TRIAGE,
      `refused ${action.kind}: someone else must handle alerts about them`,
    );
  const { alert } = state;
  const unquiet = QUIETS.has(action.kind) ? unquietable(alert) : undefined;
  if (unquiet !== undefined) return refuse(unquiet);
  if (LEARNING.has(action.kind)) return decideLearning(state, action as LearningAction, now);
  if (action.kind === "snooze") {
    // A menu left on an older copy of the message (another responder's, the App Home's).
    if (alert.status !== "open") return alreadyDone(state);
    const until = now + action.hours * HOUR;
    // The same click again (a double click, a request replayed within Slack's five minutes).
    const running = state.learned.mute;
    if (running && running.until >= until - REPLAY_MS)
      return refuse(`Nothing changed: these alerts are muted already (${running.reason}).`);
    return {
      mute: { until, reason: snoozeReason(action.hours) },
      notes: [`snoozed ${alert.ruleId} for ${action.hours} h`],
      told: { kind: "snoozed", hours: action.hours, until },
      show: false,
    };
  }
  const transition = TRANSITIONS[action.kind as keyof typeof TRANSITIONS];
  if (alert.status === transition.to || !transition.from(alert.status)) return alreadyDone(state);
  const until = now + MUTE_DAYS * 24 * HOUR;
  return {
    status: { to: transition.to, note: null },
    ...(action.kind === "expected-mute"
      ? {
          mute: { until, reason: expectedMuteReason(alert.id) },
          told: { kind: "muted" as const, until },
        }
      : {}),
    // Undoing "Expected, mute 7 days": what it muted is posted again (other mutes stay).
    ...(action.kind === "reopen" && alert.status === "expected" && state.learned.mutedHere
      ? {
          undo: "expected-mute" as const,
          told: { kind: "learned" as const, did: "unmute" as const },
        }
      : {}),
    // Reopened: reminded of again from now, as a new alert is (unless both were sent).
    reminders: transition.to === "open" ? ("resume" as const) : ("stop" as const),
    notes: [],
    show: true,
  };
}

/** A click the alert's status has made moot: says who made it so, and redraws the message. */
function alreadyDone(state: TriageState): Decision {
  const by = state.lastChange ? ` by <@${state.lastChange.actor}>` : "";
  return {
    refused: {
      message: `Nothing changed: this alert is already ${DONE[state.alert.status]}${by}.`,
    },
    notes: [],
    // The message may still show the buttons (a stop between recording and updating it).
    show: true,
  };
}

/**
 * Mute 30 days or suppress a rule and person that responders marked expected LEARN_AFTER times,
 * marking an open alert expected on the way; or undo either.
 */
function decideLearning(state: TriageState, action: LearningAction, now: number): Decision {
  const { alert, learned } = state;
  const { kind, row } = action;
  const listed = row === undefined ? {} : { row };
  const learnt = { kind: "learned" as const, did: kind };
  const pattern = `${alert.ruleId} alerts about this person`;
  if (kind === "unmute") {
    // Refused, and the message drawn anew: a copy showing a mute that ended is put right.
    if (!learned.mute)
      return { ...refuse("Nothing to undo: no mute of these alerts is running."), show: true };
    const notes = [`ended ${row === undefined ? "the mutes" : `mute ${row}`} of ${pattern}`];
    return { undo: "mutes", ...listed, notes, told: learnt, show: true };
  }
  if (kind === "unsuppress") {
    if (!learned.suppression)
      return { ...refuse("Nothing to undo: these alerts are not suppressed."), show: true };
    return {
      undo: "suppression",
      ...listed,
      notes: [`removed suppression ${row ?? learned.suppression.id} of ${pattern}`],
      told: learnt,
      show: true,
    };
  }
  // A confirmed compromise is no pattern to quiet, whatever was expected before it.
  if (alert.status === "true_positive") return alreadyDone(state);
  if (learned.expected < LEARN_AFTER)
    return refuse(
      `That is offered once ${LEARN_AFTER} alerts of this rule about this person are marked expected within ${LEARN_DAYS} days; ${learned.expected} ${learned.expected === 1 ? "is" : "are"}.`,
    );
  if (learned.suppression)
    return {
      refused: {
        message: `Nothing changed: these alerts are suppressed already by <@${learned.suppression.by}>.`,
      },
      notes: [],
      show: true,
    };
  const until = now + LEARNED_MUTE_DAYS * 24 * HOUR;
  // The same click again: a double click, a replay, another alert's message offering it still
  // (hours later): a mute with more than 29 of its 30 days left is that one.
  if (kind === "mute-30" && learned.mute && learned.mute.until > until - 24 * HOUR)
    return {
      refused: {
        message: `Nothing changed: these alerts are muted already (${learned.mute.reason}).`,
      },
      notes: [],
      show: true,
    };
  const why = `marked expected ${learned.expected} times within ${LEARN_DAYS} days`;
  const expected =
    alert.status === "open" ? { status: { to: "expected" as const, note: null } } : {};
  const stop = alert.status === "open" ? { reminders: "stop" as const } : {};
  if (kind === "mute-30")
    return {
      ...expected,
      ...stop,
      mute: { until, reason: `${why}; muted for ${LEARNED_MUTE_DAYS} days` },
      notes: [`muted ${pattern} for ${LEARNED_MUTE_DAYS} days (${why})`],
      told: learnt,
      show: true,
    };
  return {
    ...expected,
    ...stop,
    suppress: { reason: why },
    notes: [`suppressed ${pattern} (${why})`],
    told: learnt,
    show: true,
  };
}

/**
 * The person's answer to "did you do this?": only theirs counts, once; a responder's "yes" about
 * themselves is only noted.
 */
function decideAnswer(
  state: TriageState,
  answer: "yes" | "no",
  actor: TriageActor,
  settings: TriageSettings,
): Decision {
  const { alert, asked } = state;
  if (!asked) return refuse("That question is not known here any more.");
  if (asked.user !== actor.id)
    return refuse("Only the person this question was sent to can answer it.");
  if (asked.answer !== null) return refuse(`You have answered this already (${asked.answer}).`);
  const notes = [`the person asked answered ${answer}`];
  // A responder's own word handles nothing about them, as their buttons do not: it is kept and
  // shown, the alert left to another responder, its reminders still coming.
  if (answer === "yes" && actor.notResponder === null)
    return {
      answer,
      answeredAsResponder: true,
      notes: ["the person asked answered yes, as a responder: another responder must handle it"],
      told: { kind: "confirmed", expected: false },
      show: true,
    };
  if (answer === "yes") {
    const expected = settings.expectedOnYes.includes(alert.ruleId) && alert.status === "open";
    return {
      answer,
      notes,
      ...(expected ? { status: { to: "expected" as const, note: "confirmed by the person" } } : {}),
      reminders: "stop",
      told: { kind: "confirmed", expected },
      show: true,
    };
  }
  // A confirmed compromise stays confirmed: the "no" agrees with it; it is noted, not reopened.
  const confirmed = alert.status === "true_positive";
  const reopened = alert.status !== "open" && !confirmed;
  return {
    answer,
    notes,
    severity: "high",
    ...(reopened
      ? { status: { to: "open" as const, note: "the person said it was not them" } }
      : {}),
    unmute: { reason: `<@${actor.id}> said an alert about them was not them` },
    ...(confirmed ? {} : { reminders: "resume" as const }),
    told: { kind: "denied", reopened, confirmed },
    show: true,
  };
}
