import { coveredOnlyByName } from "../domain/alert.js";
import type { StoredEvent } from "../domain/event.js";
import { severityRank } from "../domain/severity.js";
import { RULES } from "./rules/index.js";
import { type RulesFile, type Suppression, suppressionLastsAt } from "./rules-file.js";
import type { FactKind, Facts, Finding } from "./types.js";

/** A finding with what configuration decides about it. */
export interface Judgement extends Finding {
  /** The matching suppression's reason: stored and counted, never posted. */
  readonly suppressedBy: string | null;
  /** Posted to Slack: at or above minSeverity and not suppressed. */
  readonly notify: boolean;
}

/** The facts the enabled rules need, so the engine reads nothing more. */
export function neededFacts(config: RulesFile): Set<FactKind> {
  return new Set(
    RULES.filter((rule) => config.rules[rule.id]?.enabled).flatMap((rule) => rule.needs),
  );
}

const lower = (value: string | null): string | null => value?.toLowerCase() ?? null;

/**
 * Whether `who` (an account id or e-mail) names the event's person, as mutes do: the on-behalf-of
 * user where the event names one, never the account that acted for them.
 */
function isPerson(event: StoredEvent, who: string): boolean {
  const wanted = who.toLowerCase();
  return [event.userId, lower(event.userEmail)].includes(wanted);
}

/** A suppression's tool names the tool that ran whatever its case: tool names differ by more. */
function sameTool(given: string, ran: string | null): boolean {
  return ran !== null && given.toLowerCase() === ran.toLowerCase();
}

/**
 * The first suppression that covers this finding, if any. Dates compare with when it happened. One
 * without `rule` covers every rule but those a suppression must name (coveredOnlyByName). Its
 * `tool` is the tool that ran: the operation a wrapper ran (`executeWrite → createJiraIssue`),
 * else the tool called, so a wrapper's name covers only its calls that name no operation.
 */
export function suppressionFor(
  event: StoredEvent,
  ruleId: string,
  config: Pick<RulesFile, "suppressions" | "groups">,
): Suppression | undefined {
  return config.suppressions.find(
    (s) =>
      (s.rule === undefined ? !coveredOnlyByName(ruleId) : s.rule === ruleId) &&
      (s.tool === undefined || sameTool(s.tool, event.innerTool ?? event.tool)) &&
      (s.actor === undefined || isPerson(event, s.actor)) &&
      (s.group === undefined ||
        (config.groups[s.group] ?? []).some((member) => isPerson(event, member))) &&
      suppressionLastsAt(s, event.time),
  );
}

/** Every enabled rule's finding about one event, with severity, suppression and notification decided. */
export function judge(event: StoredEvent, facts: Facts, config: RulesFile): Judgement[] {
  const context = {
    workingHours: config.workingHours,
    watch: config.watch,
    posture: config.posture,
  };
  const judgements: Judgement[] = [];
  for (const rule of RULES) {
    const settings = config.rules[rule.id];
    if (!settings?.enabled) continue;
    const hit = rule.evaluate(event, facts, settings.settings, context);
    if (!hit) continue;
    const suppression = suppressionFor(event, rule.id, config);
    const severity = hit.severity ?? settings.severity;
    judgements.push({
      ...hit,
      ruleId: rule.id,
      severity,
      suppressedBy: suppression?.reason ?? null,
      notify: !suppression && severityRank(severity) >= severityRank(config.minSeverity),
    });
  }
  return judgements;
}
