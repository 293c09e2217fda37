/** What triage decides on, and what it decides: the types of decide.ts, apart from its logic. */

import type { Alert, AlertStatus } from "../domain/alert.js";
import type { Severity } from "../domain/severity.js";

export type TriageAction =
  | { readonly kind: "acknowledge" | "expected" | "expected-mute" | "true-positive" | "reopen" }
  | LearningAction
  | { readonly kind: "snooze"; readonly hours: number }
  | { readonly kind: "answer"; readonly answer: "yes" | "no" };

/** A button acting on an alert's rule and person. */
export interface LearningAction {
  readonly kind: LearningKind;
  /** End or Remove in the settings' lists: the id of the mute or suppression listed. */
  readonly row?: number;
}

/** Who acts, as far as the caller could tell before deciding. */
export interface TriageActor {
  readonly id: string;
  /**
   * Why they may not act as a responder (what to tell them); null when they may. For an answer,
   * looked up as they answer: a responder's "yes" about themselves handles nothing.
   */
  readonly notResponder: string | null;
  /** The alert is about them: their Slack account has the alert's person's e-mail. */
  readonly self: boolean;
}

/** What responders have taught about an alert's rule and person. */
export interface Learned {
  /** Alerts of this rule about this person marked expected within the last LEARN_DAYS. */
  readonly expected: number;
  /**
   * The mute of this rule and person running now covering the alert's subject, the longest; with
   * the one subject it covers, if it covers one alone.
   */
  readonly mute:
    | { readonly until: number; readonly reason: string; readonly subjectLabel?: string }
    | undefined;
  /** Whether this alert's own "Expected, mute 7 days" set a mute still running (absent: no). */
  readonly mutedHere?: boolean;
  /** The suppression of this rule and person in force, added by a responder (as `mute`). */
  readonly suppression:
    | {
        readonly id: number;
        readonly by: string;
        readonly at: number;
        readonly reason: string;
        readonly subjectLabel?: string;
      }
    | undefined;
}

/** The buttons that act on an alert's rule and person rather than on the alert. */
export type LearningKind = "mute-30" | "suppress" | "unmute" | "unsuppress";

/** The alert as it is now, and what is known around it. */
export interface TriageState {
  readonly alert: Alert;
  readonly learned: Learned;
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
  | { readonly kind: "muted"; readonly until: number }
  | { readonly kind: "learned"; readonly did: LearningKind }
  | { readonly kind: "confirmed"; readonly expected: boolean }
  | {
      readonly kind: "denied";
      readonly reopened: boolean;
      /** The alert was marked true positive already, and stays so. */
      readonly confirmed: boolean;
    };

export interface Decision {
  /** Nothing is done; the actor reads this. `note`: the refusal is kept in the trail. */
  readonly refused?: { readonly message: string; readonly note?: string };
  readonly status?: { readonly to: AlertStatus; readonly note: string | null };
  readonly severity?: Severity;
  /** A mute of this rule for this person until then. */
  readonly mute?: { readonly until: number; readonly reason: string };
  /** Every mute, snooze and suppression covering the person ends, and what they hid is raised again. */
  readonly unmute?: { readonly reason: string };
  /** A suppression of this rule and person, stored with why. */
  readonly suppress?: { readonly reason: string };
  /**
   * The mutes (`mutes`) or the suppression (`suppression`) of this rule and person end, or the
   * mute this alert's "Expected, mute 7 days" set (`expected-mute`).
   */
  readonly undo?: "mutes" | "suppression" | "expected-mute";
  /** The undo ends this listed mute (its pattern's every mute) or suppression alone. */
  readonly row?: number;
  readonly answer?: "yes" | "no";
  /** The answer is a responder's, about themselves: kept, and handling nothing. */
  readonly answeredAsResponder?: boolean;
  readonly reminders?: "stop" | "resume";
  /** Trail notes that change no status. */
  readonly notes: readonly string[];
  readonly told?: Told;
  /** The alert's message is shown anew (also after a refusal: it may have missed an update). */
  readonly show: boolean;
}
