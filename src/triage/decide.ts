/**
 * The one place where a click on an alert, or a person's answer about it, is decided: who may,
 * what changes, what is muted, what is said. Pure: the caller reads the state, applies the
 * decision in one transaction and renders the messages.
 */
import type { Severity } from "../domain.js";
import type { Alert, AlertStatus } from "../store/alerts.js";

export type TriageAction =
  | { readonly kind: "acknowledge" | "expected" | "expected-mute" | "true-positive" | "reopen" }
  | { readonly kind: "snooze"; readonly hours: number }
  | { readonly kind: "answer"; readonly answer: "yes" | "no" };

/** Who acts, as far as the caller could tell before deciding. */
export interface TriageActor {
  readonly id: string;
  /** Why they may not act as a responder (what to tell them); null when they may. */
  readonly notResponder: string | null;
  /** The alert is about them: their Slack account has the alert's person's e-mail. */
  readonly self: boolean;
}

/** The alert as it is now, and what is known around it. */
export interface TriageState {
  readonly alert: Alert;
  /** The last status change, to say who handled it. */
  readonly lastChange: { readonly actor: string; readonly at: number } | undefined;
  /** The question to the person, if one was sent. */
  readonly asked:
    | { readonly user: string | null; readonly answer: "yes" | "no" | null }
    | undefined;
}

export interface TriageSettings {
  /** Rules whose alerts a "yes, that was me" marks expected. */
  readonly expectedOnYes: readonly string[];
}

/** What the thread says about what happened. */
export type Told =
  | { readonly kind: "snoozed"; readonly hours: number; readonly until: number }
  | { readonly kind: "confirmed"; readonly expected: boolean }
  | { readonly kind: "denied"; readonly reopened: boolean };

export interface Decision {
  /** Nothing is done; the actor reads this. `note`: the refusal is kept in the trail. */
  readonly refused?: { readonly message: string; readonly note?: string };
  readonly status?: { readonly to: AlertStatus; readonly note: string | null };
  readonly severity?: Severity;
  /** A mute of this rule for this person until then. */
  readonly mute?: { readonly until: number; readonly reason: string };
  /** Every mute and snooze covering the person ends, and what they hid is raised again. */
  readonly unmute?: { readonly reason: string };
  readonly answer?: "yes" | "no";
  readonly reminders?: "stop" | "resume";
  /** Trail notes that change no status. */
  readonly notes: readonly string[];
  readonly told?: Told;
  /** The alert's message is shown anew (also after a refusal: it may have missed an update). */
  readonly show: boolean;
}

const HOUR = 3_600_000;
const MUTE_DAYS = 7;

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

/** Actions a responder may not take on an alert about themselves (a true positive they may). */
const NOT_ON_ONESELF = new Set(["acknowledge", "expected", "expected-mute", "snooze"]);
export const SELF_TRIAGE = "Someone else must handle alerts about you.";

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
  if (action.kind === "snooze") {
    const until = now + action.hours * HOUR;
    return {
      mute: { until, reason: `snoozed for ${action.hours} h by <@${actor.id}>` },
      notes: [`snoozed ${alert.ruleId} for ${action.hours} h`],
      told: { kind: "snoozed", hours: action.hours, until },
      show: false,
    };
  }
  const transition = TRANSITIONS[action.kind];
  if (alert.status === transition.to || !transition.from(alert.status)) {
    const by = state.lastChange ? ` by <@${state.lastChange.actor}>` : "";
    return {
      refused: { message: `Nothing changed: this alert is already ${DONE[alert.status]}${by}.` },
      notes: [],
      // The message may still show the buttons (a stop between recording and updating it).
      show: true,
    };
  }
  return {
    status: { to: transition.to, note: null },
    ...(action.kind === "expected-mute"
      ? {
          mute: {
            until: now + MUTE_DAYS * 24 * HOUR,
            reason: `marked expected by <@${actor.id}>, muted for ${MUTE_DAYS} days`,
          },
        }
      : {}),
    ...(transition.to === "open" ? {} : { reminders: "stop" as const }),
    notes: [],
    show: true,
  };
}

/** The person's answer to "did you do this?": only theirs counts, once. */
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
  const reopened = alert.status !== "open";
  return {
    answer,
    notes,
    severity: "high",
    ...(reopened
      ? { status: { to: "open" as const, note: "the person said it was not them" } }
      : {}),
    unmute: { reason: `<@${actor.id}> said an alert about them was not them` },
    reminders: "resume",
    told: { kind: "denied", reopened },
    show: true,
  };
}
