import type { ClassifiedWith } from "../store/classified-with.js";

/** "the rules file /etc/…/rules.yml", or that there is none. */
export function rulesWords(path: string | null): string {
  return path === null ? "no RULES_FILE (the built-in tools alone)" : `the rules file ${path}`;
}

/**
 * The rules file the bot last started with, when a command would classify events with another
 * (`applied`, null for none: a shell without the bot's environment), in words with when it was
 * recorded; undefined when they agree, or the bot had none (a restart makes it agree).
 */
export function otherThanBot(
  bot: ClassifiedWith | undefined,
  applied: string | null,
): { rulesFile: string; said: string } | undefined {
  if (!bot?.rulesFile || bot.rulesFile === applied) return undefined;
  const at = new Date(bot.recordedAt).toISOString();
  return {
    rulesFile: bot.rulesFile,
    said: `${rulesWords(bot.rulesFile)} (as recorded when start or poll --once last ran, ${at})`,
  };
}
