import type { ClassifiedWith } from "../store/classified-with.js";

/** "the rules file /etc/…/rules.yml", or that there is none. */
export function rulesWords(path: string | null): string {
  return path === null ? "no RULES_FILE (the built-in tools alone)" : `the rules file ${path}`;
}

/** How to run with it: "RULES_FILE=/etc/…/rules.yml", or "no RULES_FILE". */
export function rulesSetting(path: string | null): string {
  return path === null ? "no RULES_FILE" : `RULES_FILE=${path}`;
}

/**
 * The rules file the bot last started with (null for none), when a command would classify events
 * with another (`applied`, null for none: a shell without the bot's environment), in words with
 * when it was recorded; undefined when they agree, or nothing is recorded.
 */
export function otherThanBot(
  bot: ClassifiedWith | undefined,
  applied: string | null,
): { rulesFile: string | null; said: string } | undefined {
  if (!bot || bot.rulesFile === applied) return undefined;
  const at = new Date(bot.recordedAt).toISOString();
  return {
    rulesFile: bot.rulesFile,
    said: `${rulesWords(bot.rulesFile)} (as recorded when start or poll --once last ran, ${at})`,
  };
}
