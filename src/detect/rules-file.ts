import { parseDocument, parse as parseYaml } from "yaml";
import { z } from "zod";
import { isCron } from "../config-fields.js";
import { TOOL_CLASSES, TOOL_RISKS } from "../domain/event.js";
import { ConfigError } from "../errors.js";
import { withoutHidden } from "../hidden-characters.js";
import { quotedVisibly } from "../terminal-text.js";
import { postureSchema } from "./posture.js";
import { ruleEntries, ruleIds, severity } from "./rule-entries.js";
import { workingHoursSchema } from "./rules/mcp-off-hours.js";
import { positiveInt } from "./rules/settings.js";
import { keysAt, unknownKeysMessage } from "./unknown-keys.js";
import { watchSchema } from "./watch.js";
import { weeklyCronProblem } from "./weekly-cron.js";

/**
 * The optional RULES_FILE (YAML or JSON): every key optional, unknown keys refused, each problem
 * reported with its path (`rules.mcp-burst.calls: expected a positive integer`).
 */

/**
 * A value compared with what the audit log says (an account, a tool, a group's name): without the
 * spaces around it and the invisible characters a copy from a web page or a chat brings along.
 */
const cleaned = z
  .string()
  .transform((value) => withoutHidden(value).trim())
  .pipe(z.string().min(1, { error: "expected a value, not only spaces" }));

const suppressionSchema = z
  .strictObject({
    reason: z
      .string({ error: "every suppression needs a reason" })
      .min(1, { error: "every suppression needs a reason" }),
    rule: z.enum(ruleIds, { error: `expected a rule id: ${ruleIds.join(", ")}` }).optional(),
    actor: cleaned.optional(),
    group: cleaned.optional(),
    tool: cleaned.optional(),
    until: z.iso.date({ error: "expected a date such as 2026-12-31" }).optional(),
  })
  .refine((s) => s.rule || s.actor || s.group || s.tool, {
    error: "a suppression needs at least one of rule, actor, group or tool",
  });

export type Suppression = z.infer<typeof suppressionSchema>;

/** Whether a suppression still covers what happens at `time`: through the whole UTC day of `until`. */
export const suppressionLastsAt = (s: Pick<Suppression, "until">, time: number): boolean =>
  s.until === undefined || time < Date.parse(`${s.until}T23:59:59.999Z`);

const ruleId = z.enum(ruleIds, { error: `expected a rule id: ${ruleIds.join(", ")}` });

/** The rules whose alerts ask the person behind them "did you do this?" by direct message. */
const DEFAULT_ASK_RULES = ["mcp-first-use", "mcp-new-location", "mcp-off-hours", "mcp-burst"];

const askSchema = z
  .strictObject({
    rules: z.array(ruleId).default(DEFAULT_ASK_RULES),
    /** A "yes, that was me" marks alerts of these rules expected. */
    expectedOnYes: z.array(ruleId).default([]),
  })
  .default({ rules: DEFAULT_ASK_RULES, expectedOnYes: [] });

const escalationSchema = z
  .strictObject({
    /** Open, unanswered alerts get a reminder after this long, and once more after as long again; 0: never. */
    afterMinutes: z
      .number({ error: "expected a whole number of minutes (0 turns reminders off)" })
      .int({ error: "expected a whole number of minutes (0 turns reminders off)" })
      .min(0, { error: "expected a whole number of minutes (0 turns reminders off)" })
      .max(10_080, { error: "expected at most 10080 minutes (a week)" })
      .default(120),
    /** Count only time within workingHours. */
    workingHoursOnly: z.boolean({ error: "expected true or false" }).default(false),
    /** Alerts less severe than this get no reminder: the digest and the App Home list them. */
    minSeverity: severity.default("high"),
  })
  .default({ afterMinutes: 120, workingHoursOnly: false, minSeverity: "high" });

/** Tools to add to the catalogue shipped with the package, or to classify otherwise. */
const toolsSchema = z
  .record(
    z.string().min(1, { error: "expected a tool name" }),
    z.strictObject({
      class: z.enum(TOOL_CLASSES, { error: `expected one of ${TOOL_CLASSES.join(", ")}` }),
      // Compared with the posture's products and a person's products seen, which are lowercase.
      product: z
        .string()
        .trim()
        .toLowerCase()
        .min(1, { error: "expected a product such as jira" })
        .optional(),
      // A label `mcp-activity tools` shows: no rule reads it.
      risk: z.enum(TOOL_RISKS, { error: `expected one of ${TOOL_RISKS.join(", ")}` }).optional(),
    }),
    { error: "expected a map of tool name to { class, product?, risk? }" },
  )
  .default({});
/**
 * The weekly "acted as you" check (off unless given): at `cron` (in DIGEST_TIMEZONE), once a week,
 * each person with at least `minCalls` MCP calls in the week before gets one direct message to
 * confirm.
 */
const attestationSchema = z
  .strictObject({
    cron: z
      .string({ error: 'expected a cron expression such as "0 10 * * MON"' })
      .refine(isCron, { error: 'expected a cron expression such as "0 10 * * MON"', abort: true })
      .superRefine((cron, ctx) => {
        const problem = weeklyCronProblem(cron);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    minCalls: positiveInt.default(20),
  })
  .optional();

/** A section whose entries are all commented out (`suppressions:` alone, null) is empty. */
const orEmpty = <T extends z.ZodType>(section: T) =>
  z.preprocess((value) => value ?? undefined, section);

/**
 * Named sets of accounts; a group's name is read as a suppression's `group` is (`cleaned`), so
 * the one matches the other as written, and two names that read as one are refused.
 */
const groupsSchema = z
  .record(z.string(), orEmpty(z.array(cleaned).default([])))
  .default({})
  .transform((groups, ctx) => {
    const written = new Map<string, string>();
    const read = new Map<string, string[]>();
    for (const [name, members] of Object.entries(groups)) {
      const key = withoutHidden(name).trim();
      const before = written.get(key);
      if (key === "")
        ctx.addIssue({
          code: "custom",
          message: `${quotedVisibly(name)}: expected a group name, not only spaces`,
        });
      else if (before !== undefined)
        ctx.addIssue({
          code: "custom",
          message: `${quotedVisibly(before)} and ${quotedVisibly(name)} are both the group ${quotedVisibly(key)} once spaces and invisible characters are removed: put their members under one name`,
        });
      else {
        written.set(key, name);
        read.set(key, members);
      }
    }
    return Object.fromEntries(read);
  });

export const rulesFileSchema = z.strictObject({
  /** Action keys to treat as MCP besides those /event-actions names as MCP. */
  mcpActionKeys: orEmpty(
    z.array(z.string().min(1, { error: "expected a non-empty action key" })).default([]),
  ),
  /** Tools the catalogue does not know, or classifies otherwise (run `mcp-activity reclassify` after). */
  tools: orEmpty(toolsSchema),
  /** Alerts below this go only to digests and queries, not to the channel. */
  minSeverity: severity.default("medium"),
  /** Top-level alert messages per hour per organization; above it, one roll-up (high still posts). */
  maxAlertsPerHour: positiveInt.max(1_000, { error: "expected at most 1000" }).default(10),
  /** Alerts of one rule about one person this close together become one alert. */
  // A day at most: a longer group is the `group` mode's (windowHours).
  groupingWindowMinutes: positiveInt
    .max(1440, { error: "expected at most 1440 minutes (for longer, a rule's mode: group)" })
    .default(10),
  workingHours: orEmpty(workingHoursSchema),
  ask: orEmpty(askSchema),
  escalation: orEmpty(escalationSchema),
  rules: orEmpty(ruleEntries),
  /** Named sets of accounts (ids or e-mails), for suppressions by group. */
  groups: orEmpty(groupsSchema),
  suppressions: orEmpty(z.array(suppressionSchema).default([])),
  attestation: orEmpty(attestationSchema),
  /** Sensitive places and canaries: any MCP call touching one raises an alert. */
  watch: orEmpty(watchSchema),
  /** The Rovo MCP settings the organization declares: an event they rule out is drift. */
  posture: orEmpty(postureSchema),
});

export type RulesFile = z.infer<typeof rulesFileSchema>;

export const DEFAULT_RULES_FILE: RulesFile = rulesFileSchema.parse({});

/** An issue's sentence; a key the file does not know is said with the one it was likely meant to be. */
function explain(issue: z.core.$ZodIssue): string {
  if (issue.code !== "unrecognized_keys") return issue.message;
  const known = keysAt(rulesFileSchema, issue.path);
  return known ? unknownKeysMessage(issue.keys, known) : issue.message;
}

/** The file's data: JSON when its name ends in .json, else YAML; a byte-order mark is skipped. */
function readData(text: string, source: string): unknown {
  const body = text.replace(/^\uFEFF/, "");
  if (!source.endsWith(".json")) return parseYaml(body);
  const data: unknown = JSON.parse(body);
  // JSON.parse keeps the last of a key given twice, silently; YAML refuses it, and so does this.
  const twice = parseDocument(body).errors.find((error) => error.code === "DUPLICATE_KEY");
  if (twice) throw new Error(twice.message.split("\n")[0]);
  return data;
}

/**
 * Where the data holds a YAML merge key (`<<: *base`), which YAML 1.2 (how the file is read) does
 * not merge: "(top level)", "rules.mcp-write".
 */
function mergeKeys(
  data: unknown,
  path: readonly string[] = [],
  seen = new Set<object>(),
): string[] {
  // An alias inside the value it names makes a cycle: each value is looked at once.
  if (typeof data !== "object" || data === null || seen.has(data)) return [];
  seen.add(data);
  const here =
    !Array.isArray(data) && Object.hasOwn(data, "<<") ? [path.join(".") || "(top level)"] : [];
  return [
    ...here,
    ...Object.entries(data).flatMap(([key, value]) => mergeKeys(value, [...path, key], seen)),
  ];
}
const MERGE_KEY =
  "a merge key (<<) is not supported: repeat the keys it would bring (an alias of a whole value, *name, is read)";

/** Where a problem in the rules file's text is explained. */
export const RULES_HELP = "See docs/rules.md#the-rules-file for every key of the rules file.";

/**
 * Parses the text of a rules file; every problem is reported with its path, after `given`: how
 * the file was named (`rules check FILE` names the file, not the variable).
 */
export function parseRulesText(text: string, source: string, given = "RULES_FILE"): RulesFile {
  let data: unknown;
  try {
    data = readData(text, source);
  } catch (cause) {
    const format = source.endsWith(".json") ? "JSON" : "YAML";
    throw new ConfigError(
      [`${given} ${source} is not valid ${format}: ${(cause as Error).message}`],
      RULES_HELP,
    );
  }
  const merged = mergeKeys(data);
  if (merged.length > 0)
    throw new ConfigError(
      merged.map((path) => `${given} ${source}: ${path}: ${MERGE_KEY}`),
      RULES_HELP,
    );
  const result = rulesFileSchema.safeParse(data ?? {});
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map(
        (issue) =>
          `${given} ${source}: ${issue.path.join(".") || "(top level)"}: ${explain(issue)}`,
      ),
      RULES_HELP,
    );
  }
  const unknownGroups = result.data.suppressions.filter(
    (s) => s.group && !Object.hasOwn(result.data.groups, s.group),
  );
  if (unknownGroups.length > 0) {
    throw new ConfigError(
      unknownGroups.map(
        (s) => `${given} ${source}: suppressions: group "${s.group}" is not defined under groups`,
      ),
      RULES_HELP,
    );
  }
  return result.data;
}
