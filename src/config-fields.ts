import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { notWeekly, sooner } from "./cron-runs.js";
import { Secret } from "./secret.js";
import { HOUR } from "./time-units.js";
import { counted } from "./words.js";

/** The checks of the environment's values, each with the words its problem is told in. */

export const isCron = (value: string): boolean => cronProblem(value) === undefined;

/** Why `value` is not a cron expression of 5 or 6 fields; undefined when it is one. */
function cronProblem(value: string): string | undefined {
  const fields = value.trim().split(/\s+/).length;
  if (value.trim() === "" || fields < 5 || fields > 6)
    return `it has ${counted(value.trim() === "" ? 0 : fields, "field")}`;
  try {
    CronExpressionParser.parse(value);
    return undefined;
  } catch (error) {
    // cron-parser says e.g. "Constraint error, got value 61 expected range 0-59".
    return (error as Error).message.replace(
      /^Constraint error, got value (\S+) expected range (\S+)$/,
      "$1 is outside $2",
    );
  }
}

/** A cron expression, refused with `expected` and what is wrong with it. */
export const cronString = (expected: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem !== undefined)
      ctx.addIssue({ code: "custom", message: `${expected} (${problem})` });
  });

/**
 * The least time between two daily digests. Each run posts one to the channel, so `* 9 * * *`
 * (every minute of 09:00, written for `0 9 * * *`) would post sixty; twice a day, or at each
 * change of shift, is allowed.
 */
const DIGEST_LEAST_APART = 4 * HOUR;

/** With 6 fields the first is the second, the classic slip of a 6-field cron: said with it. */
const sixFields = (value: string, example: string) =>
  value.trim().split(/\s+/).length === 6
    ? `; with 6 fields the first is the second: ${example}`
    : "";

/** DIGEST_CRON: a cron that does not run sooner than DIGEST_LEAST_APART after a run. */
export const dailyDigestCron = (expected: string) =>
  cronString(expected).superRefine((value, ctx) => {
    const gap = cronProblem(value) === undefined ? sooner(value, DIGEST_LEAST_APART) : undefined;
    if (gap !== undefined)
      ctx.addIssue({
        code: "custom",
        message: `runs ${gap} after a run: each run posts a digest to the channel, so give times at least 4 hours apart, such as "0 9 * * *" (09:00 every day) or "0 9,17 * * 1-5" (09:00 and 17:00 on working days)${sixFields(value, '"0 0 9 * * *" is 09:00 every day')}`,
      });
  });

/** DIGEST_WEEKLY_CRON: a cron that runs once a week. */
export const weeklyDigestCron = (expected: string) =>
  cronString(expected).superRefine((value, ctx) => {
    const gap = cronProblem(value) === undefined ? notWeekly(value) : undefined;
    if (gap !== undefined)
      ctx.addIssue({
        code: "custom",
        message: `runs ${gap} after a run, not once a week: each run posts the week's digest to the channel, so give a weekly time such as "0 9 * * 1" (Mondays at 09:00)${sixFields(value, '"0 0 9 * * 1" is Mondays at 09:00')}`,
      });
  });

export const required = (hint: string) =>
  z.string({ error: `is required: ${hint}` }).min(1, { error: `is required: ${hint}` });

export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` }),
    );

/** Whether a URL carries a user name or password (`https://user:pass@host/`). */
const hasCredentials = (value: string) =>
  URL.canParse(value) && (new URL(value).username !== "" || new URL(value).password !== "");

/**
 * An address is shown in errors, the log and /healthz: a password in it would be too, and fetch
 * refuses such addresses anyway.
 */
const NO_CREDENTIALS = {
  error: "must not carry a user name or password (https://user:password@…)",
} as const;

/** A loopback address: plain http is allowed there only (a receiver in a test, a local relay). */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Plain http to this machine (a simulator, a test, a local relay), https anywhere else. */
const secure = (value: string) => {
  if (!URL.canParse(value)) return true; // told by the check before
  const url = new URL(value);
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
};

/**
 * The base address of an API the bot sends a key or token to: https (plain http only to this
 * machine). `noAdminPath`: the Atlassian API's, to which the bot adds `/admin/v1/…` itself.
 */
export const httpUrl = (withTrailingSlash: boolean, noAdminPath = false) =>
  z
    .string()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      error: "must be an http(s) URL such as https://example.com",
    })
    .refine(
      (value) => !URL.canParse(value) || new URL(value).protocol !== "http:" || secure(value),
      {
        error:
          "must use https (plain http only to 127.0.0.1, [::1] or localhost): the key or token it is sent would cross the network unencrypted",
      },
    )
    .refine(
      (value) =>
        !noAdminPath || !URL.canParse(value) || !/\/admin(\/|$)/.test(new URL(value).pathname),
      {
        error:
          "must be the API's address without /admin/v1 (the bot adds it), such as https://api.atlassian.com",
      },
    )
    .refine((value) => !hasCredentials(value), NO_CREDENTIALS)
    .transform((value) => {
      const bare = value.replace(/\/+$/, "");
      return withTrailingSlash ? `${bare}/` : bare;
    });

/**
 * A token sent in an HTTP header is one word: a line break or a space inside it (two keys on two
 * lines of a file) would make every request fail with an error quoting the whole header.
 */
export const ONE_WORD = /^[^\s\p{Cc}]*$/u;
export const NOT_ONE_WORD =
  "must be one value on one line, without spaces or control characters (a file holds the value alone)";

/**
 * A header carries bytes: a character beyond U+00FF (a curly quote or a dash pasted from a
 * document) would make every request throw "Cannot convert argument to a ByteString", naming
 * no variable.
 */
export const BEYOND_HEADER = /[\u0100-\u{10FFFF}]/u;
export const NOT_HEADER_TEXT =
  "holds a character an HTTP header cannot carry (a curly quote or dash from a document?): copy the value again from where it was issued";

/** A secret; `inHeader`: sent in an HTTP header (a key or token), so one word (see ONE_WORD). */
export const secret = (prefix: string | undefined, hint: string, inHeader = true) =>
  required(hint)
    .refine((value) => prefix === undefined || value.startsWith(prefix), {
      error: `must start with ${prefix}: ${hint}`,
    })
    .refine((value) => !inHeader || ONE_WORD.test(value), { error: NOT_ONE_WORD })
    .refine((value) => !inHeader || !BEYOND_HEADER.test(value), { error: NOT_HEADER_TEXT })
    .transform((value) => new Secret(value));

export const exportUrl = () =>
  z
    .string()
    .refine((value) => URL.canParse(value), {
      error: "must be a URL such as https://siem.example.com/ingest",
    })
    .refine(secure, {
      error:
        "must use https (plain http only to 127.0.0.1, [::1] or localhost): the records name people and their activity",
    })
    .refine((value) => !hasCredentials(value), {
      error: `${NO_CREDENTIALS.error}: the receiver checks each batch's signature (EXPORT_SECRET)`,
    });

/** The shortest EXPORT_SECRET taken: an HMAC key guessable in fewer tries is no signature. */
const EXPORT_SECRET_MIN = 32;

// A key for the HMAC, never sent: any characters.
export const exportSecret = () =>
  secret(
    undefined,
    "a random string of 32 characters or more, such as the output of `openssl rand -hex 32`",
    false,
  ).refine((value) => value.reveal().length >= EXPORT_SECRET_MIN, {
    error: `must be at least ${EXPORT_SECRET_MIN} characters: generate one with \`openssl rand -hex 32\``,
  });
