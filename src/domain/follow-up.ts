/** Asking the person behind an alert "did you do this?". */

export type AskState = "none" | "sending" | "sent" | "answered" | "not-asked";

export type Answer = "yes" | "no";
