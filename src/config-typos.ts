import { fullShape } from "./config-schema.js";
import { distance } from "./nearest.js";
import { SECRET_VARIABLES } from "./secret-files.js";

const KNOWN = [...Object.keys(fullShape), ...SECRET_VARIABLES.map((name) => `${name}_FILE`)];

/** Names other software sets in the environment: never a typo of one of ours. */
const OTHERS =
  /^(HOME|HOSTNAME|PATH|PWD|OLDPWD|TERM|LANG|USER|SHELL|SHLVL|TZ|_|(NODE|NPM|YARN|LC)_.*)$/i;

/** Names other tools give to what one of ours is. */
const ALIASES: Readonly<Record<string, string>> = {
  DB_PATH: "DATABASE_PATH",
  DB_FILE: "DATABASE_PATH",
  DATABASE_FILE: "DATABASE_PATH",
  SQLITE_PATH: "DATABASE_PATH",
  DIGEST_TZ: "DIGEST_TIMEZONE",
  SLACK_CHANNEL: "SLACK_ALERT_CHANNEL",
  SLACK_CHANNEL_ID: "SLACK_ALERT_CHANNEL",
  SLACK_TOKEN: "SLACK_BOT_TOKEN",
  SLACK_SIGNING_KEY: "SLACK_SIGNING_SECRET",
  ATLASSIAN_ORG: "ATLASSIAN_ORG_ID",
  ATLASSIAN_TOKEN: "ATLASSIAN_API_KEY",
  RULES: "RULES_FILE",
};

/** A name without its underscores, in capitals: LOGLEVEL and Log_Level are LOG_LEVEL. */
const squashed = (name: string) => name.replaceAll("_", "").toUpperCase();

const family = (name: string) => name.split("_")[0]?.toUpperCase();

/**
 * The variable of ours `name` was likely meant to be, if any: another tool's name for it; the
 * same letters but for underscores and capitals; a letter or two off with the same first word
 * (`POLL_INTERVALL_SECONDS`); or one letter off a long name whatever its underscores
 * (`RULE_FILE`, `METRIC_TOKEN`). A short name one letter off is not taken for ours: PORTS, PORT0
 * and HOSTS are what schedulers set.
 */
function meant(name: string): string | undefined {
  const alias = ALIASES[name.toUpperCase()];
  if (alias) return alias;
  const word = squashed(name);
  let best: { known: string; d: number } | undefined;
  for (const known of KNOWN) {
    const d = distance(word, squashed(known));
    const close =
      d === 0 ||
      (family(name) === family(known) && distance(name.toUpperCase(), known) <= 2) ||
      (d === 1 && known.length >= 8);
    if (close && (!best || d < best.d)) best = { known, d };
  }
  return best?.known;
}

/**
 * Variables set that are not this app's but a letter or two from one of its own, written without
 * its underscores or in other capitals (`RULE_FILE`, `LOGLEVEL`), or another tool's name for one
 * (`DB_PATH`): what a typo would otherwise leave silently unused.
 */
export function mistypedVariables(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && !KNOWN.includes(name) && !OTHERS.test(name))
    .flatMap((name) => {
      const close = meant(name);
      return close
        ? [`${name} is not a variable of mcp-activity, so it is ignored: did you mean ${close}?`]
        : [];
    });
}
