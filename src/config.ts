import { z } from "zod";
import {
  type OrganizationConfig,
  organizationCountProblems,
  organizationsFrom,
} from "./config-organizations.js";
import {
  fullShape,
  ingestShape,
  type LOG_LEVELS,
  scheduleShape,
  storeShape,
} from "./config-schema.js";
import { present, withoutQuoted } from "./config-values.js";
import { ConfigError } from "./errors.js";
import { Secret } from "./secret.js";
import { readSecretFiles, SECRET_VARIABLES } from "./secret-files.js";

/**
 * Parsing the operator contract (config-schema.ts) once, into frozen settings: a problem names the
 * variable and says how to fix it; values of secrets never appear.
 */

type Env = Record<string, string | undefined>;

/** Where the HTTP server listens when HOST is unset: Slack must reach it in HTTP mode only. */
function defaultHost(socketMode: boolean): string {
  return socketMode ? "127.0.0.1" : "0.0.0.0";
}

/** The export's two variables go together. */
function exportProblems(env: Record<string, string>, failed: ReadonlySet<string>): string[] {
  if (failed.has("EXPORT_SECRET") || failed.has("EXPORT_URL")) return [];
  const url = env.EXPORT_URL !== undefined;
  const secret = env.EXPORT_SECRET !== undefined;
  if (url && !secret)
    return [
      "EXPORT_SECRET is required when EXPORT_URL is set: the receiver checks each batch's signature with it (generate one with `openssl rand -hex 32`)",
    ];
  if (secret && !url)
    return ["EXPORT_URL is required when EXPORT_SECRET is set: the receiver's https address"];
  return [];
}

/** A rule across two variables, checked beside the schema so it is reported with the rest. */
function modeProblems(env: Record<string, string>): string[] {
  if (env.SLACK_APP_TOKEN !== undefined || env.SLACK_SIGNING_SECRET !== undefined) return [];
  return [
    "SLACK_SIGNING_SECRET is required when SLACK_APP_TOKEN is not set: set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or SLACK_SIGNING_SECRET for HTTP mode",
  ];
}

export interface StoreConfig {
  readonly databasePath: string;
  readonly retentionDays: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly logFormat: "json" | "pretty";
  readonly rulesFile: string | undefined;
  readonly digest: {
    readonly cron: string;
    /** DIGEST_WEEKLY_CRON; undefined: no weekly digest. */
    readonly weeklyCron?: string | undefined;
    readonly timezone: string;
  };
}

export type { OrganizationConfig } from "./config-organizations.js";

export interface IngestConfig extends StoreConfig {
  /** The first organization's id, key and expiry, beside every organization watched. */
  readonly atlassian: OrganizationConfig & {
    readonly apiBaseUrl: string;
    /** In the order of ATLASSIAN_ORG_ID; the first is the one above. */
    readonly organizations: readonly OrganizationConfig[];
  };
  readonly pollIntervalSeconds: number;
  readonly backfillDays: number;
}

export interface Config extends IngestConfig {
  readonly slack: {
    readonly botToken: Secret;
    readonly appToken: Secret | undefined;
    readonly signingSecret: Secret | undefined;
    readonly apiUrl: string;
    readonly alertChannel: string;
    /** Empty: the members of the alert channel are the responders. */
    readonly responders: readonly string[];
  };
  readonly port: number;
  /** HOST: 127.0.0.1 in Socket Mode, 0.0.0.0 in HTTP mode unless set. */
  readonly host: string;
  /** METRICS_TOKEN: when set, GET /metrics needs it as a bearer token. */
  readonly metricsToken: Secret | undefined;
  /** EXPORT_URL and EXPORT_SECRET: the SIEM export, when set. */
  readonly export?: ExportConfig;
}

export interface ExportConfig {
  readonly url: string;
  readonly secret: Secret;
}

function problemsOf(error: z.ZodError, skip: ReadonlySet<string> = new Set()): string[] {
  return error.issues
    .map((issue) => [String(issue.path[0] ?? "environment"), issue.message] as const)
    .filter(([name]) => !skip.has(name))
    .map(([name, message]) => `${name} ${message}`);
}

/** Parses the secret-bearing variables, secrets read from `<NAME>_FILE` where given. */
function parseWithSecrets<S extends z.core.$ZodShape>(shape: S, env: Env) {
  const names = SECRET_VARIABLES.filter((name) => name in shape);
  const given = withoutQuoted(present(env), Object.keys(shape));
  const files = readSecretFiles(given.vars, names);
  const { vars } = files;
  const failed = new Set([...given.told, ...files.failed]);
  const result = z.object(shape).safeParse(vars);
  const counts =
    "ATLASSIAN_ORG_ID" in shape
      ? organizationCountProblems(vars, given.vars.ATLASSIAN_API_KEY_FILE !== undefined)
      : [];
  const problems = [
    ...given.problems,
    ...files.problems,
    ...(result.success ? [] : problemsOf(result.error, failed)),
    ...counts,
  ];
  return { vars, result, problems, failed };
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === "object" && !(inner instanceof Secret))
      deepFreeze(inner);
  }
  return Object.freeze(value);
}

function storeFrom(env: z.infer<z.ZodObject<typeof storeShape>>): StoreConfig {
  return {
    databasePath: env.DATABASE_PATH,
    retentionDays: env.RETENTION_DAYS,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    rulesFile: env.RULES_FILE,
    digest: {
      cron: env.DIGEST_CRON,
      weeklyCron: env.DIGEST_WEEKLY_CRON,
      timezone: env.DIGEST_TIMEZONE,
    },
  };
}

/** Parses variables that hold no secret; throws a ConfigError listing every problem. */
function parsePlain<S extends z.core.$ZodShape>(shape: S, env: Env) {
  const given = withoutQuoted(present(env), Object.keys(shape));
  const result = z.object(shape).safeParse(given.vars);
  const problems = [
    ...given.problems,
    ...(result.success ? [] : problemsOf(result.error, given.told)),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return result.data;
}

/** What commands that only touch the database need (migrate, query, …). */
export function parseStoreConfig(env: Env): StoreConfig {
  return deepFreeze(storeFrom(parsePlain(storeShape, env)));
}

/**
 * ATLASSIAN_ORG_ID for a command that reads the database alone (digest), checked as `start`
 * checks it: an API key given there is refused, never quoted. Empty when it is unset.
 */
export function parseOrgIds(env: Env): readonly string[] {
  const shape = { ATLASSIAN_ORG_ID: ingestShape.ATLASSIAN_ORG_ID.optional() };
  return Object.freeze(parsePlain(shape, env).ATLASSIAN_ORG_ID ?? []);
}

function ingestFrom(env: z.infer<z.ZodObject<typeof ingestShape>>): IngestConfig {
  const organizations = organizationsFrom(
    env.ATLASSIAN_ORG_ID,
    env.ATLASSIAN_API_KEY,
    env.ATLASSIAN_API_KEY_EXPIRES,
  );
  const [first] = organizations;
  if (!first) throw new ConfigError(["ATLASSIAN_ORG_ID is required"]);
  return {
    ...storeFrom(env),
    atlassian: { ...first, apiBaseUrl: env.ATLASSIAN_API_BASE_URL, organizations },
    pollIntervalSeconds: env.POLL_INTERVAL_SECONDS,
    backfillDays: env.BACKFILL_DAYS,
  };
}

/** What reading the audit log needs, without Slack (poll, reclassify). */
export function parseIngestConfig(env: Env): IngestConfig {
  const { result, problems } = parseWithSecrets(ingestShape, env);
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(ingestFrom(result.data));
}

/** The dry run's own database beside DATABASE_PATH: what it raises is never posted by `start` later. */
function dryRunDatabase(databasePath: string): string {
  return `${databasePath.replace(/\.(db|sqlite3?)$/i, "")}.dry-run.db`;
}

/**
 * What `start --dry-run` needs: the audit log and the port, no Slack (the console stands in),
 * and a database of its own.
 */
export function parseDryRunConfig(env: Env): Omit<Config, "slack"> {
  const { result, problems } = parseWithSecrets(
    {
      ...ingestShape,
      ...scheduleShape,
      PORT: fullShape.PORT,
      HOST: fullShape.HOST,
      METRICS_TOKEN: fullShape.METRICS_TOKEN,
    },
    env,
  );
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const config = ingestFrom(result.data);
  return deepFreeze({
    ...config,
    databasePath: dryRunDatabase(config.databasePath),
    port: result.data.PORT,
    host: result.data.HOST ?? defaultHost(true),
    metricsToken: result.data.METRICS_TOKEN,
  });
}

/** Everything `start` needs. Throws a ConfigError listing every problem at once. */
export function parseConfig(env: Env): Config {
  const parsed = parseWithSecrets(fullShape, env);
  const { vars, result, failed } = parsed;
  const modeKnown = !failed.has("SLACK_APP_TOKEN") && !failed.has("SLACK_SIGNING_SECRET");
  const problems = [
    ...parsed.problems,
    ...(modeKnown ? modeProblems(vars) : []),
    ...exportProblems(vars, failed),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const e = result.data;
  return deepFreeze({
    ...ingestFrom(e),
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      alertChannel: e.SLACK_ALERT_CHANNEL,
      responders: e.SLACK_RESPONDERS ?? [],
    },
    port: e.PORT,
    host: e.HOST ?? defaultHost(e.SLACK_APP_TOKEN !== undefined),
    metricsToken: e.METRICS_TOKEN,
    ...(e.EXPORT_URL !== undefined && e.EXPORT_SECRET !== undefined
      ? { export: { url: e.EXPORT_URL, secret: e.EXPORT_SECRET } }
      : {}),
  });
}
