import { z } from "zod";
import { BEYOND_HEADER, NOT_HEADER_TEXT, NOT_ONE_WORD, ONE_WORD } from "./config-fields.js";
import { Secret } from "./secret.js";

/**
 * Several organizations in one instance: ATLASSIAN_ORG_ID is a comma-separated list, and
 * ATLASSIAN_API_KEY and ATLASSIAN_API_KEY_EXPIRES give one value for all or one per organization,
 * in the same order. Spaces around each value are dropped (a pasted key often carries one).
 */

/** One watched organization: its id, its key and, if the operator said, when the key expires. */
export interface OrganizationConfig {
  readonly orgId: string;
  readonly apiKey: Secret;
  /** When the key expires (epoch ms, midnight UTC). */
  readonly apiKeyExpires: number | undefined;
  /**
   * One key and expiry given for all: the first organization warns of its expiry for them all
   * (`keyAlsoOf`: the others), and the others not at all (`keyWarnedBy`: the first).
   */
  readonly keyAlsoOf: readonly string[];
  readonly keyWarnedBy: string | undefined;
}

function splitList(value: string): string[] {
  return value.split(",").map((entry) => entry.trim());
}

const EMPTY_ENTRY = "has an empty entry between commas: remove the extra comma";

const duplicates = (list: readonly string[]): string[] =>
  list.filter((entry, i) => entry !== "" && list.indexOf(entry) !== i);

/** A character no organization id holds: the id was given inside a URL or with something else. */
const NOT_IN_ID = /[/:\s?#]/;

/** What separates the ids of a list written otherwise than with commas. */
const OTHER_SEPARATOR = /[;|\s]+/;
/** One id of such a list: a word (a phrase around an id is told below, with the id quoted). */
const ID_WORD = /^[\w-]+$/;

/**
 * Atlassian's keys and tokens start with ATCTT (an organization API key) or ATATT (an API token)
 * and run to about 190 characters of one word, where an organization id is a UUID of 36. The
 * "Create API key" dialog shows the two side by side, so they are easily swapped: such an entry
 * is a secret, never shown in a message. (A long admin hub URL is told apart: it has slashes; so
 * is a long list of ids separated otherwise than by commas.)
 */
const looksLikeKey = (id: string): boolean =>
  id.split(OTHER_SEPARATOR).some((part) => /^AT[AC]TT/.test(part)) ||
  (id.length > 100 && !NOT_IN_ID.test(id) && !OTHER_SEPARATOR.test(id));

/**
 * How an entry separates several ids instead of commas, if it does: ";" or "|" always (no id
 * holds one), spaces when each part is a word. A URL is told below, with the id in it.
 */
function separatorOf(id: string): string | undefined {
  if (/[/:?#]/.test(id)) return undefined;
  const mark = /[;|]/.exec(id)?.[0];
  if (mark !== undefined) return `"${mark}"`;
  const parts = id.split(OTHER_SEPARATOR);
  return parts.length > 1 && parts.every((part) => ID_WORD.test(part)) ? "spaces" : undefined;
}

export const orgIdList = (hint: string) =>
  z
    .string({ error: `is required: ${hint}` })
    .trim()
    .min(1, { error: `is required: ${hint}` })
    .transform(splitList)
    .refine((ids) => ids.every((id) => id !== ""), { error: EMPTY_ENTRY })
    .refine((ids) => !ids.some(looksLikeKey), {
      error:
        "holds what looks like an API key, not an organization id: are ATLASSIAN_ORG_ID and ATLASSIAN_API_KEY swapped? The organization id is the <id> in the admin hub URL https://admin.atlassian.com/o/<id>/",
      abort: true, // the checks below would show the key
    })
    .refine((ids) => ids.every((id) => separatorOf(id) === undefined), {
      error: (issue) => {
        const separator = (issue.input as string[]).map(separatorOf).find(Boolean);
        return `holds ids separated by ${separator}: separate ids with commas, such as <id>,<id>`;
      },
      abort: true, // the check below would say the whole list is not an id
    })
    .refine((ids) => ids.every((id) => !NOT_IN_ID.test(id)), {
      error: (issue) => {
        const wrong = (issue.input as string[]).find((id) => NOT_IN_ID.test(id)) ?? "";
        const inUrl = /\/o\/([^/?#\s]+)/.exec(wrong)?.[1];
        return `is not an organization id: ${wrong.slice(0, 80)}${inUrl ? ` (the id in that URL is ${inUrl})` : ""}: ${hint}`;
      },
    })
    .refine((ids) => sameId(ids) === undefined, {
      error: (issue) => {
        const [first, second] = sameId(issue.input as string[]) ?? [];
        const named =
          first === second
            ? `names ${first} twice`
            : `names ${first} and ${second}, one organization (ids are read in any case)`;
        return `${named}: list each organization once`;
      },
    });

/** The first id listed again, in any case (as `org:` and every look-up by id read them), and its repeat. */
function sameId(ids: readonly string[]): [string, string] | undefined {
  const lower = ids.map((id) => id.toLowerCase());
  const at = lower.findIndex((id, i) => id !== "" && lower.indexOf(id) !== i);
  if (at < 0) return undefined;
  return [ids[lower.indexOf(lower[at] as string)] as string, ids[at] as string];
}

/** The keys, wrapped at once so that no message or log line can show one. */
export const apiKeyList = (hint: string) =>
  z
    .string({ error: `is required: ${hint}` })
    .trim()
    .min(1, { error: `is required: ${hint}` })
    .transform((value) => splitList(value).map((key) => new Secret(key)))
    .refine((keys) => keys.every((key) => key.reveal() !== ""), { error: EMPTY_ENTRY })
    .refine((keys) => keys.every((key) => ONE_WORD.test(key.reveal())), {
      error: `${NOT_ONE_WORD}; several keys are separated by commas`,
    })
    .refine((keys) => keys.every((key) => !BEYOND_HEADER.test(key.reveal())), {
      error: NOT_HEADER_TEXT,
    })
    .refine((keys) => duplicates(keys.map((key) => key.reveal())).length === 0, {
      error:
        "holds the same key twice: give one key to use it for every organization, or one different key per organization",
    });

const DATE_ERROR = "must be the key's expiry date such as 2027-01-31, as Atlassian shows it";

export const expiryList = () =>
  z
    .string()
    .transform(splitList)
    .refine((days) => days.every((day) => day !== ""), { error: EMPTY_ENTRY })
    .pipe(
      z.array(
        z.iso.date({ error: DATE_ERROR }).transform((day) => Date.parse(`${day}T00:00:00Z`)),
        { error: DATE_ERROR },
      ),
    );

/**
 * The counts across the three variables, from the raw values: each of the key and expiry lists
 * holds one value or one per organization. `keyFromFile` names the file the key was read from.
 */
export function organizationCountProblems(
  vars: Record<string, string>,
  keyFromFile: boolean,
): string[] {
  const ids = vars.ATLASSIAN_ORG_ID;
  if (ids === undefined) return [];
  const orgs = splitList(ids).length;
  const organizations = orgs === 1 ? "the organization" : `the ${orgs} organizations`;
  const problems: string[] = [];
  const check = (name: string, label: string, noun: string) => {
    const value = vars[name];
    if (value === undefined) return;
    const count = splitList(value).length;
    if (count === 1 || count === orgs) return;
    problems.push(
      `${label} has ${count} ${noun}s for ${organizations} of ATLASSIAN_ORG_ID: give one ${noun} for all of them, or exactly one per organization, comma-separated in the same order`,
    );
  };
  check(
    "ATLASSIAN_API_KEY",
    keyFromFile ? "the file ATLASSIAN_API_KEY_FILE names" : "ATLASSIAN_API_KEY",
    "key",
  );
  check("ATLASSIAN_API_KEY_EXPIRES", "ATLASSIAN_API_KEY_EXPIRES", "date");
  // One key has one expiry date, whether it is given once or once per organization.
  const keys = vars.ATLASSIAN_API_KEY === undefined ? 1 : splitList(vars.ATLASSIAN_API_KEY).length;
  const dates = splitList(vars.ATLASSIAN_API_KEY_EXPIRES ?? "");
  const counted = dates.length === orgs && dates.every((date) => /^\d{4}-\d\d-\d\d$/.test(date));
  if (orgs > 1 && keys === 1 && counted && new Set(dates).size > 1)
    problems.push(
      "ATLASSIAN_API_KEY_EXPIRES gives different dates for the one key of ATLASSIAN_API_KEY: give its expiry date once",
    );
  return problems;
}

/** Pairs each organization with its key and expiry (the counts are checked already). */
export function organizationsFrom(
  ids: readonly string[],
  keys: readonly Secret[],
  expires: readonly number[] | undefined,
): OrganizationConfig[] {
  const at = <T>(list: readonly T[], i: number): T => (list.length === 1 ? list[0] : list[i]) as T;
  // One key for all (its dates, if given per organization, are one date: checked before).
  const shared = ids.length > 1 && keys.length === 1;
  return ids.map((orgId, i) => ({
    orgId,
    apiKey: at(keys, i),
    apiKeyExpires: expires === undefined ? undefined : at(expires, i),
    keyAlsoOf: shared && i === 0 ? ids.slice(1) : [],
    keyWarnedBy: shared && i > 0 ? ids[0] : undefined,
  }));
}
