import { isQuoted } from "./quoted-value.js";
import { SECRET_VARIABLES } from "./secret-files.js";

/**
 * The environment's values as an operator meant them. Docker's `--env-file` passes a line on as
 * it is, where a `.env` reader would not: `KEY="value"` keeps its quotes, `KEY=value ` its space.
 * Taken as given, such a value fails far from here for another reason (a key "rejected", a
 * database path beside the real one), so spaces around a value are dropped and quotes refused.
 */

type Env = Record<string, string | undefined>;

/** Unset and blank are the same to an operator; spaces around a value are never part of it. */
export function present(env: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).flatMap(([name, value]) => {
      const trimmed = value?.trim() ?? "";
      return trimmed === "" ? [] : [[name, trimmed]];
    }),
  );
}

export interface Unquoted {
  /** The values, without those in quotes. */
  readonly vars: Record<string, string>;
  /** One line per quoted variable; never its value, which may be a secret. */
  readonly problems: readonly string[];
  /** The variables told of here (a `<NAME>_FILE` as its NAME too): no second line about them. */
  readonly told: ReadonlySet<string>;
}

/** Refuses the values of `names` (and of their `<NAME>_FILE`) wrapped in quotes. */
export function withoutQuoted(vars: Record<string, string>, names: readonly string[]): Unquoted {
  const out = { ...vars };
  const problems: string[] = [];
  const told = new Set<string>();
  const isSecret = (name: string) => (SECRET_VARIABLES as readonly string[]).includes(name);
  // Each variable checked, with the one it sets: a `<NAME>_FILE` sets NAME.
  const checked: Array<[variable: string, sets: string]> = [
    ...names.map((name): [string, string] => [name, name]),
    ...names.filter(isSecret).map((name): [string, string] => [`${name}_FILE`, name]),
  ];
  for (const [name, sets] of checked) {
    const value = vars[name];
    if (value === undefined || !isQuoted(value)) continue;
    delete out[name];
    problems.push(`${name} is in quotes: docker's --env-file keeps them; remove them`);
    told.add(name).add(sets);
  }
  return { vars: out, problems, told };
}
