import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { Secret } from "./secret.js";

/** The checks of the environment's values, each with the words its problem is told in. */

export const isCron = (value: string): boolean => cronProblem(value) === undefined;

/** Why `value` is not a cron expression of 5 or 6 fields; undefined when it is one. */
export function cronProblem(value: string): string | undefined {
  const fields = value.trim().split(/\s+/).length;
  if (value.trim() === "" || fields < 5 || fields > 6)
    return `it has ${value.trim() === "" ? 0 : fields} fields`;
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

export const httpUrl = (withTrailingSlash: boolean) =>
  z
    .string()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      error: "must be an http(s) URL such as https://example.com",
    })
    .refine((value) => !hasCredentials(value), NO_CREDENTIALS)
    .transform((value) => {
      const bare = value.replace(/\/+$/, "");
      return withTrailingSlash ? `${bare}/` : bare;
    });

export const secret = (prefix: string | undefined, hint: string) =>
  required(hint)
    .refine((value) => prefix === undefined || value.startsWith(prefix), {
      error: `must start with ${prefix}: ${hint}`,
    })
    .transform((value) => new Secret(value));

/** A loopback address: plain http is allowed there only (a receiver in a test, a local relay). */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export const exportUrl = () =>
  z
    .string()
    .refine((value) => URL.canParse(value), {
      error: "must be a URL such as https://siem.example.com/ingest",
    })
    .refine(
      (value) => {
        if (!URL.canParse(value)) return true; // told by the check above
        const url = new URL(value);
        return (
          url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))
        );
      },
      {
        error:
          "must use https (plain http only to 127.0.0.1 or localhost): the records name people and their activity",
      },
    )
    .refine((value) => !hasCredentials(value), {
      error: `${NO_CREDENTIALS.error}: the receiver checks each batch's signature (EXPORT_SECRET)`,
    });

/** The shortest EXPORT_SECRET taken: an HMAC key guessable in fewer tries is no signature. */
const EXPORT_SECRET_MIN = 32;

export const exportSecret = () =>
  secret(
    undefined,
    "a random string of 32 characters or more, such as the output of `openssl rand -hex 32`",
  ).refine((value) => value.reveal().length >= EXPORT_SECRET_MIN, {
    error: `must be at least ${EXPORT_SECRET_MIN} characters: generate one with \`openssl rand -hex 32\``,
  });
