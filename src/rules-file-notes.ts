import { RULES } from "./detect/rules/index.js";
import { DEFAULT_RULES_FILE, type RulesFile, suppressionLastsAt } from "./detect/rules-file.js";
import { severityRank } from "./domain/severity.js";
import { DEFAULT_TOOLS, dangerOf, describeTool } from "./ingest/tools.js";

/**
 * What a valid rules file quiets of what the product is there to catch, one sentence each, led by
 * the key that does it: `rules check` prints them as notes, `start` logs them at warn. `now`: when
 * they are read, past which a suppression's `until` quiets nothing.
 */
export function rulesFileNotes(rules: RulesFile, now: number): string[] {
  return [
    ...loweredTools(rules),
    ...RULES.flatMap((rule) => quietedRule(rule.id, rules)),
    ...blanketSuppressions(rules, now),
    ...unmatchable(rules),
  ];
}

/**
 * An e-mail address (none of the characters a link or a display form brings along: `mailto:`,
 * `<…>`), or an Atlassian account id: 24 hex digits, or a prefix and a UUID.
 */
const PERSON =
  /^(?:[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+|[0-9a-f]{24}|[0-9a-z]+:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?::[0-9a-f-]{36})?)$/i;
const NOBODY =
  "is neither an e-mail address nor an Atlassian account id, so it matches nobody: a person is named by account id or e-mail, not by name";

/** A suppression's actor, or a group's member, that no event can name: a display name, say. */
function unmatchable(rules: RulesFile): string[] {
  const actors = rules.suppressions.flatMap((s, i) =>
    s.actor !== undefined && !PERSON.test(s.actor)
      ? [`suppressions.${i}.actor: ${JSON.stringify(s.actor)} ${NOBODY}`]
      : [],
  );
  const members = Object.entries(rules.groups).flatMap(([name, people]) =>
    people.flatMap((who, i) =>
      PERSON.test(who) ? [] : [`groups.${name}.${i}: ${JSON.stringify(who)} ${NOBODY}`],
    ),
  );
  return [...actors, ...members];
}

/**
 * The alerts the README leads with (a new AI tool authorized, write or destructive calls, bursts,
 * API-token use, settings changed, a new tool), by rule, as "the alerts of …" says them.
 */
const PROTECTIVE: Readonly<Record<string, string>> = {
  "mcp-app-authorized": "the MCP app authorized in a site",
  "mcp-first-use": "a person's first MCP call and an AI tool new to the organization",
  "mcp-write": "write calls",
  "mcp-destructive": "destructive and admin calls",
  "mcp-burst": "bursts of MCP calls",
  "mcp-api-token": "MCP calls made with an API token",
  "mcp-settings-changed": "MCP and connected-app settings changed",
  "mcp-new-tool": "a tool new to the organization",
};
const KEPT_OUT = "out of the channel (the digest and queries still have them)";

/** Whether a rule's alerts are posted to the channel under `config`. */
function posted(id: string, config: RulesFile): boolean {
  const rule = config.rules[id];
  if (!rule?.enabled || rule.mode.kind === "digest") return false;
  return severityRank(rule.severity) >= severityRank(config.minSeverity);
}

/**
 * One of those rules the file turns off, or keeps out of the channel although it posts by
 * default: one sentence, led by the key that does it.
 */
function quietedRule(id: string, rules: RulesFile): string[] {
  const what = PROTECTIVE[id];
  const given = rules.rules[id];
  const fallback = DEFAULT_RULES_FILE.rules[id];
  if (what === undefined || !given || !fallback) return [];
  if (!given.enabled && fallback.enabled)
    return [`rules.${id}: enabled: false turns off the alerts of ${what}`];
  if (!given.enabled || posted(id, rules) || !posted(id, DEFAULT_RULES_FILE)) return [];
  if (given.mode.kind === "digest")
    return [`rules.${id}: mode: digest keeps the alerts of ${what} ${KEPT_OUT}`];
  if (given.severity !== fallback.severity)
    return [
      `rules.${id}: severity ${given.severity}, below minSeverity (${rules.minSeverity}), keeps the alerts of ${what} ${KEPT_OUT}`,
    ];
  return [
    `minSeverity: ${rules.minSeverity} keeps the alerts of ${what} (${id}, ${given.severity}) ${KEPT_OUT}`,
  ];
}

/**
 * A suppression naming one of those rules and no actor, group or tool: it quiets all the rule's
 * alerts, as surely as `enabled: false` keeps them out of the channel; none once its `until` has
 * passed (as matching reads it: through that whole UTC day).
 */
function blanketSuppressions(rules: RulesFile, now: number): string[] {
  return rules.suppressions.flatMap((s, i) => {
    const what = s.rule === undefined ? undefined : PROTECTIVE[s.rule];
    if (what === undefined || s.actor || s.group || s.tool) return [];
    if (!suppressionLastsAt(s, now)) return [];
    const until = s.until === undefined ? "" : ` until ${s.until}`;
    return [
      `suppressions.${i}: rule: ${s.rule} with no actor, group or tool quiets every alert of ${what}${until}: none reaches the channel (the digest counts them as quieted)`,
    ];
  });
}

/**
 * A tool the catalogue (or, unlisted, its verb) classes destructive or admin, which the file's
 * `tools` classes lower: its calls no longer raise mcp-destructive nor contradict
 * `destructiveTools: off`.
 */
function loweredTools(rules: RulesFile): string[] {
  return Object.entries(rules.tools).flatMap(([name, given]) => {
    const shipped = describeTool(name, DEFAULT_TOOLS);
    if (dangerOf(shipped.class) < dangerOf("destructive")) return [];
    if (dangerOf(given.class) >= dangerOf("destructive")) return [];
    const whose =
      shipped.known === "catalogue"
        ? `the catalogue classes ${shipped.class}`
        : `whose name reads as ${shipped.class}`;
    const keep = shipped.known === "catalogue" ? "the catalogue's class" : "that class";
    return [
      `tools.${name}: class ${given.class} lowers a tool ${whose}: its calls raise no mcp-destructive alert and no posture drift under destructiveTools: off (remove the entry to keep ${keep})`,
    ];
  });
}
