/** Errors as answers: what is wrong, the nearest valid key or value, and two example queries. */
import { nearest } from "../nearest.js";
import {
  ENUM_MESSAGES,
  type Examples,
  GENERAL,
  isQueryKey,
  KEY_ALIASES,
  KEY_INFO,
  own,
  QUERY_KEYS,
  type QueryKey,
} from "./keys.js";
import type { Term } from "./lex.js";
import { clockDay, clockOf } from "./time-forms.js";

export interface QueryError {
  message: string;
  suggestion?: string;
  examples: [string, string];
}

/** The most characters of a user's text quoted back in a message. */
const SHOWN_MAX = 40;

/** Text for a message: one line, at most SHOWN_MAX characters (never half of an emoji). */
export function shown(text: string): string {
  const chars = Array.from(text.replace(/[\s\p{Cc}]+/gu, " "));
  return chars.length > SHOWN_MAX ? `${chars.slice(0, SHOWN_MAX - 1).join("")}…` : chars.join("");
}

export class QueryProblem {
  constructor(readonly error: QueryError) {}
}

export function problem(message: string, examples: Examples, suggestion?: string): QueryProblem {
  const pair: [string, string] = [examples[0], examples[1]];
  return new QueryProblem({ message, ...(suggestion ? { suggestion } : {}), examples: pair });
}

export function enumValue<T>(
  key: "class" | "auth" | "status" | "format",
  spellings: Record<string, T>,
  text: string,
): T {
  const value = own(spellings, text.toLowerCase());
  if (value !== undefined) return value;
  const guess = nearest(text, Object.keys(spellings));
  const canonical = guess === undefined ? undefined : own(spellings, guess);
  throw problem(
    `${ENUM_MESSAGES[key]}, not "${shown(text)}"`,
    KEY_INFO[key].examples,
    canonical === undefined ? undefined : `did you mean ${key}:${String(canonical)}?`,
  );
}

export function unknownKey(term: Term): QueryProblem {
  const key = term.key ?? "";
  const lower = key.toLowerCase();
  const guess = own(KEY_ALIASES, lower) ?? (nearest(lower, QUERY_KEYS) as QueryKey | undefined);
  const suggestion = guess
    ? `did you mean ${guess}:?`
    : `keys are ${QUERY_KEYS.join(", ")}; to search for the text, quote it: "${shown(term.raw.replace(/["\u201c\u201d]/g, ""))}"`;
  return problem(
    `unknown key "${shown(key)}"`,
    guess ? KEY_INFO[guess].examples : GENERAL,
    suggestion,
  );
}

/** The times that are words, unquoted: free words like them are answered by `strayWord`. */
export const TIME_WORD = /^(?:today|yesterday|now)$/i;
/** How one names oneself (`user:me`): unquoted alone, it is answered by `strayWord`. */
export const ME_WORD = /^me$/i;

/** What `strayWord` reads around a free word. */
export interface StrayContext {
  /** The free word after it, the value meant when the word is a key. */
  readonly next: string | undefined;
  /** The `since:` or `until:` term right before it, if one is. */
  readonly after: { readonly key: "since" | "until"; readonly value: string } | undefined;
  /** Whether a word reads as a since: value. */
  readonly isTime: (word: string) => boolean;
  /** The day ("YYYY-MM-DD") a since: value names, if it names one (a date, today, yesterday). */
  readonly dayOf: (value: string) => string | undefined;
  /** Now where the reader is, "YYYY-MM-DD HH:MM". */
  readonly wall: string;
}

/**
 * An unquoted free word that is a key without its colon (`since 7d`), `me` without `user:`, a time
 * without its key (`7d`, `2026-03-01`, `today`) or a time of day parted from its date by a space
 * (`since:2026-11-04 09:00`): looked for as a word, it would make the answer empty.
 */
export function strayWord(
  word: string,
  { next, after, isTime, dayOf, wall }: StrayContext,
): QueryProblem | undefined {
  const lower = word.toLowerCase();
  const quoted = `(in quotes, "${shown(word)}" is looked for as a word)`;
  if (isQueryKey(lower)) {
    const value = next ?? KEY_INFO[lower].sample;
    return problem(
      `"${shown(word)}" alone is looked for as a word: a key takes its value after a colon`,
      KEY_INFO[lower].examples,
      `did you mean ${lower}:${shown(value)}? ${quoted}`,
    );
  }
  if (ME_WORD.test(word)) {
    // Alone, "me" would match every name, tool or site holding it (acme.atlassian.net).
    return problem(
      `"${shown(word)}" alone is looked for as a word: to ask about yourself, put user: before it`,
      ["user:me since:24h", "user:me class:write"],
      `did you mean user:me? ${quoted}`,
    );
  }
  const clock = clockOf(word, next);
  if (clock !== undefined) {
    const day = after === undefined ? undefined : dayOf(after.value);
    const key = after?.key ?? "since";
    return problem(
      `"${shown(word)}" alone is looked for as a word: a time of day goes with its date, in quotes`,
      KEY_INFO[key].examples,
      day === undefined
        ? `for example since:"${clockDay("since", clock, wall)} ${clock}" ${quoted}`
        : `did you mean ${key}:"${day} ${clock}"? ${quoted}`,
    );
  }
  if (TIME_WORD.test(word) || (/^\d/.test(word) && isTime(word))) {
    // since:now would be an empty window: now ends one.
    const key = lower === "now" ? "until" : "since";
    return problem(
      `"${shown(word)}" alone is looked for as a word: a time goes after since: or until:`,
      KEY_INFO[key].examples,
      `did you mean ${key}:${shown(TIME_WORD.test(word) ? lower : word)}? ${quoted}`,
    );
  }
  return undefined;
}

/** The rule ids alerts have, and those of them whose alerts are never about an MCP call. */
export interface RuleIds {
  readonly all: readonly string[];
  readonly identity: readonly string[];
}

/** An identity rule's alerts are about an admin's act: queries, of MCP calls, never find them. */
function identityRule(id: string): QueryProblem {
  return problem(
    `${id} alerts are about identity events, not MCP calls, and queries read MCP calls only`,
    KEY_INFO.rule.examples,
    "its alerts are in the alert channel (or the digest), and the open ones in the App Home",
  );
}

/**
 * A `rule:` value: a rule's id as spelled. Else the problem: the id meant by a near miss or a short
 * name (`off-hours`, `burst`), or the ids; an identity rule's, since no query finds its events.
 */
export function ruleValue(text: string, ids: RuleIds): string {
  const lower = text.toLowerCase();
  const mcp = ids.all.filter((id) => !ids.identity.includes(id));
  const exact = ids.all.find((id) => id === lower);
  const guess =
    exact ??
    ids.all.find((id) => id.endsWith(`-${lower}`)) ??
    nearest(lower, ids.all) ??
    nearest(`mcp-${lower}`, mcp);
  if (guess !== undefined && ids.identity.includes(guess)) throw identityRule(guess);
  if (guess === exact && exact !== undefined) return exact;
  throw problem(
    guess === undefined
      ? `no rule is called "${shown(text)}": rule: takes ${mcp.join(", ")}`
      : `no rule is called "${shown(text)}"`,
    KEY_INFO.rule.examples,
    guess === undefined ? undefined : `did you mean rule:${guess}?`,
  );
}
