import { fullShape } from "./config-schema.js";
import { distance } from "./nearest.js";
import { SECRET_VARIABLES } from "./secret-files.js";

const KNOWN = [...Object.keys(fullShape), ...SECRET_VARIABLES.map((name) => `${name}_FILE`)];

const family = (name: string) => name.split("_")[0];

/**
 * Variables set that are not this app's but a letter or two from one of its own, with the same
 * first word (`POLL_INTERVALL_SECONDS`): what a typo would otherwise leave silently unused.
 */
export function mistypedVariables(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && name.includes("_") && !KNOWN.includes(name))
    .flatMap((name) => {
      const close = KNOWN.find(
        (known) => family(known) === family(name) && distance(name, known) <= 2,
      );
      return close
        ? [`${name} is not a variable of mcp-activity, so it is ignored: did you mean ${close}?`]
        : [];
    });
}
