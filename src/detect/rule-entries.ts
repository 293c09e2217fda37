import { z } from "zod";
import { neverQuieted } from "../domain/alert.js";
import { SEVERITIES, type Severity } from "../domain/severity.js";
import { nearest } from "../nearest.js";
import { RULES } from "./rules/index.js";
import { positiveInt } from "./rules/settings.js";
import type { AlertMode } from "./types.js";
import { keysAt, unknownKeysMessage } from "./unknown-keys.js";

/**
 * The rules file's `rules:` section: per rule id, the settings every rule has (enabled, severity,
 * mode) beside the rule's own, completed by the rule's defaults.
 */

export const severity = z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(", ")}` });
export const ruleIds = RULES.map((rule) => rule.id) as [string, ...string[]];

export interface RuleSettings {
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly mode: AlertMode;
  readonly settings: unknown;
}

const modeFields = z.strictObject({
  enabled: z.boolean({ error: "expected true or false" }).optional(),
  severity: severity.optional(),
  mode: z
    .enum(["alert", "group", "once", "digest"], { error: "expected alert, group, once or digest" })
    .optional(),
  /** group: how long one alert takes a person's findings. */
  windowHours: positiveInt.max(24 * 30, { error: "expected at most 720 hours" }).optional(),
  /** once: how long a subject stays known (none: for good). */
  onceDays: positiveInt.max(3_650, { error: "expected at most 3650 days" }).optional(),
});

/** A rule's alert mode: the rules file's, completed by the rule's default. */
function modeOf(given: z.infer<typeof modeFields>, fallback: AlertMode): AlertMode {
  const kind = given.mode ?? fallback.kind;
  switch (kind) {
    case "group":
      return {
        kind,
        windowHours: given.windowHours ?? (fallback.kind === "group" ? fallback.windowHours : 24),
      };
    case "once":
      return {
        kind,
        days: given.onceDays ?? (fallback.kind === "once" ? fallback.days : null),
      };
    default:
      return { kind };
  }
}

/**
 * A rule no mute or button quiets (neverQuieted: a canary, the posture) is quieted by no
 * `enabled: false`, severity or mode of the file either: only a suppression naming it quiets it,
 * and the refusal says how to write one.
 * Without what it watches (canaries, a posture) it raises nothing anyway.
 */
function unquietable(
  rule: (typeof RULES)[number],
  given: z.infer<typeof modeFields>,
): Array<{ message: string; path: string[] }> {
  const why = `only a suppression naming it quiets its alerts: write { reason: …, rule: ${rule.id} } under suppressions instead (${BUTTONS})`;
  const own = rule.defaultMode?.kind ?? "alert";
  const silent = SILENT_WITHOUT[rule.id];
  return [
    ...(given.enabled === false
      ? [
          {
            message: `${rule.id} is always on: ${why}${silent ? `; ${silent}` : ""}`,
            path: ["enabled"],
          },
        ]
      : []),
    ...(given.severity !== undefined && given.severity !== rule.defaultSeverity
      ? [{ message: `${rule.id} is always ${rule.defaultSeverity}: ${why}`, path: ["severity"] }]
      : []),
    ...(given.mode !== undefined && given.mode !== own
      ? [{ message: `${rule.id}'s mode is always ${own}: ${why}`, path: ["mode"] }]
      : []),
  ];
}
const BUTTONS = "docs/alerts-and-digest.md#buttons";
const SILENT_WITHOUT: Readonly<Record<string, string>> = {
  "mcp-canary": "without canaries under watch it raises nothing",
  "mcp-posture-drift": "without a posture it raises nothing",
};

export const ruleEntries = z
  .record(
    z.string(),
    z
      .record(z.string(), z.unknown(), {
        error: "expected the rule's settings (enabled, severity, …)",
      })
      .nullable(),
    { error: "expected a map of rule id to settings" },
  )
  .default({})
  .transform((entries, ctx) => {
    const result: Record<string, RuleSettings> = {};
    for (const id of Object.keys(entries).filter((key) => !ruleIds.includes(key))) {
      const guess = nearest(id, ruleIds);
      const hint = guess ? `did you mean ${guess}?` : `expected one of ${ruleIds.join(", ")}`;
      ctx.addIssue({ code: "custom", message: `unknown rule (${hint})`, path: [id] });
    }
    for (const rule of RULES) {
      const {
        enabled,
        severity: level,
        mode,
        windowHours,
        onceDays,
        ...own
      } = entries[rule.id] ?? {};
      const common = modeFields.safeParse({
        enabled,
        severity: level,
        mode,
        windowHours,
        onceDays,
      });
      const settings = rule.settings.safeParse(own);
      // The keys a hint may name: the rule's own, and those of its mode (windowHours only under
      // group, onceDays only under once: the file is refused with either under another mode).
      const kind = common.data?.mode ?? rule.defaultMode?.kind ?? "alert";
      const ofMode = { group: ["windowHours"], once: ["onceDays"] }[kind as string] ?? [];
      const elsewhere = Object.fromEntries(
        [
          ["windowHours", "mode: group"],
          ["onceDays", "mode: once"],
        ].filter(([key]) => !ofMode.includes(key as string)),
      );
      const known = [
        ...(keysAt(rule.settings, []) ?? []),
        "enabled",
        "severity",
        "mode",
        ...ofMode,
      ];
      for (const issue of [...(common.error?.issues ?? []), ...(settings.error?.issues ?? [])]) {
        const message =
          issue.code === "unrecognized_keys"
            ? unknownKeysMessage(issue.keys, known, elsewhere)
            : issue.message;
        ctx.addIssue({ code: "custom", message, path: [rule.id, ...issue.path] });
      }
      // A mode's own key under another mode would be dropped without a word.
      for (const [key, owner] of [
        ["windowHours", "group"],
        ["onceDays", "once"],
      ] as const) {
        if (common.success && entries[rule.id]?.[key] !== undefined && kind !== owner)
          ctx.addIssue({
            code: "custom",
            message: `${key} applies to mode: ${owner}, and this rule's mode is ${kind}`,
            path: [rule.id, key],
          });
      }
      if (common.success && neverQuieted(rule.id)) {
        for (const issue of unquietable(rule, common.data))
          ctx.addIssue({ ...issue, code: "custom", path: [rule.id, ...issue.path] });
      }
      if (common.success && settings.success) {
        result[rule.id] = {
          enabled: common.data.enabled ?? rule.defaultEnabled,
          severity: common.data.severity ?? rule.defaultSeverity,
          mode: modeOf(common.data, rule.defaultMode ?? { kind: "alert" }),
          settings: settings.data,
        };
      }
    }
    return result;
  });
