/**
 * The `/mcp-activity` query language: `user:alice since:7d class:write "page title"`. Pure: the
 * caller passes `now` and the reader's time zone. Errors are answers, never exceptions: they name
 * the problem, suggest the nearest valid key or value, and give two example queries.
 *
 * - Terms are separated by whitespace; `"…"` (or Slack's “…”) quotes a value or a free word.
 *   Quoted text is literal: `user:"me"` is someone called me, `"usr:bob"` a free word.
 * - Keys are case-insensitive. See lex.ts for which `word:` counts as a key attempt; an unknown key
 *   is an error, not a free word.
 * - List keys (all but since, until, limit, format, org) may repeat or take `a,b` (unquoted commas):
 *   they mean either. since, until, limit, format and org may be given once. Free words all must match.
 * - No since/until: the last 7 days. Only until: the week before it. A window ends before `until`
 *   (until is exclusive) and covers at most 400 days.
 */

import { RULE_IDS } from "../detect/rules/index.js";
import { HIDDEN_BY_MUTE_RULE, NOT_ME_RULE } from "../domain/alert.js";
import { PRECURSOR_KEYS } from "../domain/precursor-action.js";
import { DAY } from "../time-units.js";
import { dayOf } from "../time-zone.js";
import { freeWord } from "./free-word.js";
import {
  AUTHS,
  CLASSES,
  DEFAULT_LIMIT,
  DEFAULT_SINCE,
  FORMATS,
  GENERAL,
  isQueryKey,
  KEY_INFO,
  MAX_LIMIT,
  MAX_TERMS,
  MAX_VALUE_LENGTH,
  MAX_VALUES,
  type QueryKey,
  STATUSES,
} from "./keys.js";
import { lex, type Term } from "./lex.js";
import {
  enumValue,
  problem,
  QueryProblem,
  type RuleIds,
  ruleValue,
  shown,
  unknownKey,
} from "./problems.js";
import { daysBefore, type Moment, parseMoment, safeZone } from "./time.js";
import { checkWindow, timeProblem } from "./time-problems.js";
import type { ParseOptions, ParseResult, Query } from "./types.js";
import { items, sameUser, siteHost, userRef } from "./values.js";

export { describeQuery } from "./describe.js";
export {
  HELP_EXAMPLES,
  MAX_LIMIT,
  MAX_WINDOW_DAYS,
  QUERY_KEYS,
  type QueryKey,
} from "./keys.js";
export type { QueryError } from "./problems.js";
export type { ParseOptions, ParseResult, Query, UserRef } from "./types.js";

function emptyQuery(): Query {
  return {
    users: [],
    tools: [],
    classes: [],
    products: [],
    sites: [],
    actions: [],
    ips: [],
    countries: [],
    auth: [],
    rules: [],
    statuses: [],
    since: 0,
    until: 0,
    limit: DEFAULT_LIMIT,
    format: "table",
    words: [],
    sinceLabel: DEFAULT_SINCE,
  };
}

function addUnique<T>(
  list: T[],
  value: T,
  same: (a: T, b: T) => boolean = (a, b) => a === b,
): void {
  if (!list.some((v) => same(v, value))) list.push(value);
}

const LIST_FIELD = {
  tool: "tools",
  product: "products",
  action: "actions",
  ip: "ips",
  country: "countries",
} as const;

/**
 * The rule ids alerts have: the built-in rules' (a rules file configures them, it adds none), and
 * those of a person's "not me"; the identity rules' alerts are about an admin's act, never a call.
 */
const ALERT_RULE_IDS: RuleIds = {
  all: [...RULE_IDS, NOT_ME_RULE, HIDDEN_BY_MUTE_RULE],
  identity: Object.keys(PRECURSOR_KEYS),
};

/** What parseQuery answers if parsing fails unexpectedly (a bug): it never throws. */
export const INTERNAL_ERROR_MESSAGE = "I could not read that query";

/** Parses the text after `/mcp-activity`. Never throws. */
export function parseQuery(text: string, options: ParseOptions): ParseResult {
  try {
    return { ok: true, query: parseOrThrow(String(text ?? ""), options) };
  } catch (error) {
    if (error instanceof QueryProblem) return { ok: false, error: error.error };
    return { ok: false, error: { message: INTERNAL_ERROR_MESSAGE, examples: [...GENERAL] } };
  }
}

function parseOrThrow(text: string, { now, timeZone }: ParseOptions): Query {
  if (!Number.isFinite(now) || now < 0 || now > Date.UTC(9998, 11, 31)) {
    throw problem("the current time is out of range", GENERAL);
  }
  const zone = safeZone(timeZone);
  const lexed = lex(text);
  if (!lexed.ok) {
    const { key, rest } = lexed.unclosed;
    throw problem(
      key
        ? `unclosed quote after ${key.toLowerCase()}:`
        : rest.length > 1
          ? `unclosed quote before "${shown(rest.slice(1))}"`
          : "unclosed quote at the end",
      key && isQueryKey(key.toLowerCase())
        ? KEY_INFO[key.toLowerCase() as QueryKey].examples
        : GENERAL,
      'close it with another " (quotes cannot nest)',
    );
  }
  const terms = lexed.terms;
  if (terms.length > MAX_TERMS) {
    throw problem(`too many terms (${terms.length}): at most ${MAX_TERMS}`, GENERAL);
  }

  const q = emptyQuery();
  let since: Moment | undefined;
  let until: Moment | undefined;
  const seen = new Set<QueryKey>();

  const given = new Map<QueryKey, number>();
  for (const [i, term] of terms.entries()) {
    if (term.key === null) {
      const word = freeWord(terms, i, now, zone);
      if (word !== undefined) addUnique(q.words, word);
      continue;
    }
    const key = term.key.toLowerCase();
    if (!isQueryKey(key)) throw unknownKey(term);
    const info = KEY_INFO[key];
    const single =
      key === "since" || key === "until" || key === "limit" || key === "format" || key === "org";
    if (single && seen.has(key)) {
      throw problem(
        `${key}: given twice`,
        info.examples,
        key === "since" ? "use since: for the start and until: for the end" : `keep one ${key}:`,
      );
    }
    seen.add(key);
    const values = items(term.pieces, !single);
    if (values.length === 0) {
      throw problem(
        `missing value after ${key}:`,
        info.examples,
        `no space after the colon: ${key}:${info.sample}`,
      );
    }
    // Counted over every term of the key: `tool:a tool:b` as `tool:a,b`.
    const count = (given.get(key) ?? 0) + values.length;
    given.set(key, count);
    if (count > MAX_VALUES) {
      throw problem(`too many values of ${key}: (${count}): at most ${MAX_VALUES}`, info.examples);
    }
    for (const value of values) {
      if (value.text.length > MAX_VALUE_LENGTH) {
        throw problem(
          `the value of ${key}: is too long (${value.text.length} characters, at most ${MAX_VALUE_LENGTH})`,
          info.examples,
        );
      }
    }
    const texts = values.map((v) => v.text);
    switch (key) {
      case "user":
        for (const v of values) addUnique(q.users, userRef(v), sameUser);
        break;
      case "class":
        for (const t of texts) addUnique(q.classes, enumValue("class", CLASSES, t));
        break;
      case "auth":
        for (const t of texts) addUnique(q.auth, enumValue("auth", AUTHS, t));
        break;
      case "status":
        for (const t of texts) addUnique(q.statuses, enumValue("status", STATUSES, t));
        break;
      case "site":
        for (const t of texts) {
          const host = siteHost(t);
          // A host name has at most 253 characters; this keeps the canonical text within bounds.
          if (host === "" || host.length > MAX_VALUE_LENGTH)
            throw problem(
              `bad site "${shown(t)}": give its host name`,
              info.examples,
              `for example site:${info.sample}`,
            );
          addUnique(q.sites, host);
        }
        break;
      case "format":
        q.format = enumValue("format", FORMATS, texts.join(""));
        break;
      case "org":
        q.org = texts.join("");
        break;
      case "limit": {
        const t = texts.join("");
        const n = /^\d{1,9}$/.test(t) ? Number(t) : Number.NaN;
        if (!(n >= 1 && n <= MAX_LIMIT)) {
          throw problem(
            `limit must be a whole number from 1 to ${MAX_LIMIT}, not "${shown(t)}"`,
            info.examples,
            n > MAX_LIMIT ? `did you mean limit:${MAX_LIMIT}?` : undefined,
          );
        }
        q.limit = n;
        break;
      }
      case "since":
      case "until": {
        const t = texts.join("");
        const r = parseMoment(t, key === "until", now, zone);
        if (!r.ok) {
          const sinceDay = since === undefined ? undefined : dayOf(since.time, zone);
          throw timeProblem(key, t, nextFreeWord(terms, i), now, zone, sinceDay);
        }
        if (key === "since") since = r.moment;
        else until = r.moment;
        break;
      }
      case "rule":
        for (const t of texts) addUnique(q.rules, ruleValue(t, ALERT_RULE_IDS));
        break;
      default:
        for (const t of texts) addUnique(q[LIST_FIELD[key]], t);
    }
  }

  const end = until ?? { time: now, label: "now" };
  const start = since ?? (until ? daysBefore(until, 7, zone) : parseDefault(now, zone));
  checkWindow(start, end, since !== undefined, until !== undefined, now, zone);
  q.since = start.time;
  q.until = end.time;
  q.sinceLabel = start.label;
  if (until) q.untilLabel = end.label;
  return q;
}

/** The unquoted free word right after `terms[i]`, if one is: part of a time (`since:3 Dec`). */
function nextFreeWord(terms: readonly Term[], i: number): string | undefined {
  const next = terms[i + 1];
  const item = next?.key === null ? items(next.pieces, false)[0] : undefined;
  return item?.literal ? undefined : item?.text;
}

function parseDefault(now: number, zone: string): Moment {
  const r = parseMoment(DEFAULT_SINCE, false, now, zone);
  return r.ok ? r.moment : { time: now - 7 * DAY, label: DEFAULT_SINCE };
}
