import { type Alert, HIDDEN_BY_MUTE_RULE } from "../../domain/alert.js";
import { mrkdwn } from "../escape.js";

/** Room for the numbers and for the rules, well within a field's budget however many there are. */
const NUMBERS_BUDGET = 450;
const RULES_BUDGET = 300;

const numbers = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((x): x is number => Number.isSafeInteger(x)) : [];
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];

/** "alerts 31, 35, 38", as many as fit, then "…and 12 more". */
function alertNumbers(ids: readonly number[]): string {
  const kept: number[] = [];
  let used = 0;
  for (const id of ids) {
    const length = String(id).length + 2;
    if (used + length > NUMBERS_BUDGET) break;
    kept.push(id);
    used += length;
  }
  const left = ids.length - kept.length;
  const more = left > 0 ? ` …and ${left} more` : "";
  return `${ids.length === 1 ? "alert" : "alerts"} ${kept.join(", ")}${more}`;
}

/**
 * The alerts a "raised again" alert (a person's "not me" ended the mutes and suppressions on them)
 * stands for, with their rules: never posted, they are found by these numbers alone.
 */
export function raisedAgainField(alert: Alert): { type: "mrkdwn"; text: string } | undefined {
  if (alert.ruleId !== HIDDEN_BY_MUTE_RULE) return undefined;
  const ids = numbers(alert.detail.hiddenAlerts);
  if (ids.length === 0) return undefined;
  const rules = strings(alert.detail.rules);
  const ofRules = rules.length === 0 ? "" : ` · ${mrkdwn(rules.join(", "), RULES_BUDGET)}`;
  return { type: "mrkdwn", text: `*Raised again*\n${alertNumbers(ids)}${ofRules}` };
}
