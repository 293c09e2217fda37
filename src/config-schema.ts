import { isIP } from "node:net";
import { z } from "zod";
import { databasePath } from "./config-database-path.js";
import {
  cronString,
  dailyDigestCron,
  exportSecret,
  exportUrl,
  httpUrl,
  required,
  secret,
  weeklyDigestCron,
  wholeNumber,
} from "./config-fields.js";
import { apiKeyList, expiryList, orgIdList } from "./config-organizations.js";
import { isTimeZone } from "./time-zone.js";

/**
 * The operator contract: every environment variable, its default and its check. Each command
 * parses the part it needs (config.ts): the store's, the audit log's on top, then Slack's and the
 * server's.
 */

const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/** A host name: dot-separated labels of letters, digits and inner hyphens (RFC 1123). */
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const isHostName = (value: string) =>
  value.length <= 253 &&
  value
    .replace(/\.$/, "")
    .split(".")
    .every((label) => LABEL.test(label));

/**
 * Where the id is when SLACK_ALERT_CHANNEL was given a link to the channel (…/archives/C0123ABCD,
 * app.slack.com/client/T…/C0123ABCD); else how to find it.
 */
function channelHint(value: string): string {
  const inLink = value
    .split(/[/?#]/)
    .reverse()
    .find((part) => CHANNEL_ID.test(part));
  if (value.includes("/") && inLink) return ` (the id in that link is ${inLink})`;
  return " (not its #name): open the channel's details to copy it";
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const DAILY_CRON =
  'must be a cron expression of 5 or 6 fields, such as "0 9 * * *" (minute hour day month weekday)';
const WEEKLY_CRON =
  'must be a cron expression of 5 or 6 fields, such as "0 9 * * 1" (Mondays at 09:00), or unset to turn the weekly digest off';

/**
 * The digests' schedules where they are kept (`start`, its dry run, `digest` posting): a cron
 * that would post too often is refused there, while the commands that only read the database
 * (a backup, a query, a migration after an upgrade) take any cron.
 */
export const scheduleShape = {
  DIGEST_CRON: dailyDigestCron(DAILY_CRON).default("0 9 * * *"),
  DIGEST_WEEKLY_CRON: weeklyDigestCron(WEEKLY_CRON).optional(),
};

export const storeShape = {
  DATABASE_PATH: databasePath().default("./data/mcp-activity.db"),
  RETENTION_DAYS: wholeNumber(1, 36_500).default(400),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })
    .default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"], { error: "must be json or pretty" }).default("json"),
  RULES_FILE: z.string().optional(),
  DIGEST_CRON: cronString(DAILY_CRON).default("0 9 * * *"),
  DIGEST_WEEKLY_CRON: cronString(WEEKLY_CRON).optional(),
  DIGEST_TIMEZONE: z
    .string()
    .refine(isTimeZone, { error: "must be an IANA time zone such as UTC or Europe/Berlin" })
    .default("UTC"),
};

export const ingestShape = {
  ...storeShape,
  ATLASSIAN_ORG_ID: orgIdList(
    "your organization id, shown in the admin hub URL https://admin.atlassian.com/o/<org id>/ (several: comma-separated)",
  ),
  ATLASSIAN_API_KEY: apiKeyList(
    "an organization API key from Atlassian Administration → Settings → API keys",
  ),
  ATLASSIAN_API_BASE_URL: httpUrl(false, true).default("https://api.atlassian.com"),
  ATLASSIAN_API_KEY_EXPIRES: expiryList().optional(),
  POLL_INTERVAL_SECONDS: wholeNumber(5, 86_400).default(60),
  BACKFILL_DAYS: wholeNumber(0, 36_500).default(7), // the poller clamps it to the API's 180 days
};

export const fullShape = {
  ...ingestShape,
  ...scheduleShape,
  SLACK_BOT_TOKEN: secret(
    "xoxb-",
    "the Bot User OAuth Token from your Slack app's OAuth & Permissions page",
  ),
  SLACK_APP_TOKEN: secret(
    "xapp-",
    "an app-level token with connections:write, from Basic Information",
  ).optional(),
  SLACK_SIGNING_SECRET: secret(
    undefined,
    "the Signing Secret from your Slack app's Basic Information page",
  ).optional(),
  // Any path: a proxy may serve the Web API under its own. A base that is not it answers auth.test
  // with 404 at start, said then (token-check.ts).
  SLACK_API_URL: httpUrl(true).default("https://slack.com/api/"),
  SLACK_ALERT_CHANNEL: required(
    "the id of the channel for alerts (C…), from the channel's details",
  ).regex(CHANNEL_ID, {
    error: (issue) => `must be a channel id such as C0123ABCD${channelHint(String(issue.input))}`,
  }),
  SLACK_RESPONDERS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id !== ""),
    )
    .refine((ids) => ids.every((id) => /^[UWS][A-Z0-9]{2,}$/.test(id)), {
      error: "must be Slack user ids (U… or W…) or user-group ids (S…), separated by commas",
    })
    .optional(),
  PORT: wholeNumber(0, 65_535).default(3000),
  HOST: z
    .string()
    .trim()
    .refine((value) => isIP(value) !== 0 || isHostName(value), {
      error: "must be an address to listen on, such as 127.0.0.1, 0.0.0.0 or :: (the port is PORT)",
    })
    .optional(),
  METRICS_TOKEN: secret(
    undefined,
    "a long random string that Prometheus sends as Authorization: Bearer <token>",
  ).optional(),
  EXPORT_URL: exportUrl().optional(),
  EXPORT_SECRET: exportSecret().optional(),
};
