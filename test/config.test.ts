import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig, parseIngestConfig, parseStoreConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import { tempDir } from "./helpers/tmp.js";

const complete = {
  ATLASSIAN_ORG_ID: "org-1",
  ATLASSIAN_API_KEY: "atlassian-key-SECRET-1",
  SLACK_BOT_TOKEN: "xoxb-bot-SECRET-2",
  SLACK_SIGNING_SECRET: "signing-SECRET-3",
  SLACK_ALERT_CHANNEL: "C0123ABCD",
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("applies the contract's defaults", () => {
    const config = parseConfig(complete);
    expect(config.atlassian.apiBaseUrl).toBe("https://api.atlassian.com");
    expect(config.slack.apiUrl).toBe("https://slack.com/api/");
    expect(config.slack.responders).toEqual([]);
    expect(config.slack.appToken).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe("./data/mcp-activity.db");
    expect(config.pollIntervalSeconds).toBe(60);
    expect(config.backfillDays).toBe(7);
    expect(config.digest).toEqual({ cron: "0 9 * * *", timezone: "UTC" });
    expect(config.rulesFile).toBeUndefined();
    expect(config.retentionDays).toBe(400);
    expect(config.logLevel).toBe("info");
    expect(config.logFormat).toBe("json");
  });

  it("listens on all interfaces in HTTP mode only, where Slack must reach it; HOST says otherwise", () => {
    expect(parseConfig(complete).host).toBe("0.0.0.0");
    const socket = { ...complete, SLACK_APP_TOKEN: "xapp-1", SLACK_SIGNING_SECRET: undefined };
    expect(parseConfig(socket).host).toBe("127.0.0.1");
    expect(parseConfig({ ...socket, HOST: "::" }).host).toBe("::");
    expect(problems({ ...complete, HOST: "a host; rm -rf" })).toEqual([
      "HOST must be an address to listen on, such as 127.0.0.1, 0.0.0.0 or :: (the port is PORT)",
    ]);
    expect(parseConfig(complete).metricsToken).toBeUndefined();
    expect(parseConfig({ ...complete, METRICS_TOKEN: "m-SECRET-4" }).metricsToken?.reveal()).toBe(
      "m-SECRET-4",
    );
  });

  it("reads every variable it is given", () => {
    const config = parseConfig({
      ...complete,
      SLACK_APP_TOKEN: "xapp-1",
      SLACK_SIGNING_SECRET: undefined,
      ATLASSIAN_API_BASE_URL: "http://127.0.0.1:9000/",
      SLACK_API_URL: "http://127.0.0.1:9001/api",
      SLACK_RESPONDERS: "U111, S222 ,W333",
      PORT: "0",
      DATABASE_PATH: "/tmp/x.db",
      POLL_INTERVAL_SECONDS: "300",
      BACKFILL_DAYS: "30",
      DIGEST_CRON: "30 8 * * 1-5",
      DIGEST_WEEKLY_CRON: "0 9 * * 1",
      DIGEST_TIMEZONE: "Europe/Berlin",
      RULES_FILE: "rules.yml",
      RETENTION_DAYS: "90",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "pretty",
    });
    expect(config.atlassian.apiBaseUrl).toBe("http://127.0.0.1:9000");
    expect(config.slack.apiUrl).toBe("http://127.0.0.1:9001/api/");
    expect(config.slack.appToken?.reveal()).toBe("xapp-1");
    expect(config.slack.responders).toEqual(["U111", "S222", "W333"]);
    expect(config.port).toBe(0);
    expect(config.pollIntervalSeconds).toBe(300);
    expect(config.backfillDays).toBe(30);
    expect(config.digest).toEqual({
      cron: "30 8 * * 1-5",
      weeklyCron: "0 9 * * 1",
      timezone: "Europe/Berlin",
    });
    expect(config.rulesFile).toBe("rules.yml");
    expect(config.retentionDays).toBe(90);
    expect(config.logFormat).toBe("pretty");
  });

  it("is frozen", () => {
    const config = parseConfig(complete);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.slack)).toBe(true);
    expect(Object.isFrozen(config.slack.responders)).toBe(true);
  });

  it.each(["ATLASSIAN_ORG_ID", "ATLASSIAN_API_KEY", "SLACK_BOT_TOKEN", "SLACK_ALERT_CHANNEL"])(
    "names %s when it is missing or empty",
    (name) => {
      for (const value of [undefined, "", "   "]) {
        const found = problems({ ...complete, [name]: value });
        expect(found).toHaveLength(1);
        expect(found[0]).toMatch(new RegExp(`^${name} is required: `));
      }
    },
  );

  it("refuses the admin hub's URL for ATLASSIAN_ORG_ID, saying the id in it", () => {
    const found = problems({
      ...complete,
      ATLASSIAN_ORG_ID:
        "https://admin.atlassian.com/o/a1b2c3d4-0000-4000-8000-000000000001/overview",
    });
    expect(found).toEqual([
      "ATLASSIAN_ORG_ID is not an organization id: https://admin.atlassian.com/o/a1b2c3d4-0000-4000-8000-000000000001/overview (the id in that URL is a1b2c3d4-0000-4000-8000-000000000001): your organization id, shown in the admin hub URL https://admin.atlassian.com/o/<org id>/ (several: comma-separated)",
    ]);
  });

  it("lists every problem at once, one line each", () => {
    const found = problems({});
    expect(found.map((p) => p.split(" ")[0])).toEqual([
      "ATLASSIAN_ORG_ID",
      "ATLASSIAN_API_KEY",
      "SLACK_BOT_TOKEN",
      "SLACK_ALERT_CHANNEL",
      "SLACK_SIGNING_SECRET",
    ]);
  });

  it.each([
    ["SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN must start with xoxb-"],
    ["SLACK_APP_TOKEN", "xoxb-wrong", "SLACK_APP_TOKEN must start with xapp-"],
    ["SLACK_ALERT_CHANNEL", "#security", "SLACK_ALERT_CHANNEL must be a channel id"],
    [
      "SLACK_ALERT_CHANNEL",
      "https://acme.slack.com/archives/C0123ABCD",
      "SLACK_ALERT_CHANNEL must be a channel id such as C0123ABCD (the id in that link is C0123ABCD)",
    ],
    [
      "SLACK_ALERT_CHANNEL",
      "https://app.slack.com/client/T0ACME001/G0PRIV999?cdn_fallback=1",
      "(the id in that link is G0PRIV999)",
    ],
    ["SLACK_RESPONDERS", "U1AB,alice", "SLACK_RESPONDERS must be Slack user ids"],
    ["PORT", "http", "PORT must be a whole number from 0 to 65535"],
    ["PORT", "70000", "PORT must be a whole number from 0 to 65535"],
    ["POLL_INTERVAL_SECONDS", "1", "POLL_INTERVAL_SECONDS must be a whole number from 5"],
    ["BACKFILL_DAYS", "-3", "BACKFILL_DAYS must be a whole number"],
    ["DIGEST_CRON", "every day", "DIGEST_CRON must be a cron expression"],
    ["DIGEST_CRON", "61 9 * * *", "(minute hour day month weekday) (61 is outside 0-59)"],
    ["DIGEST_CRON", "daily", "(minute hour day month weekday) (it has 1 field)"],
    ["DIGEST_CRON", "0 9 * *", "(minute hour day month weekday) (it has 4 fields)"],
    [
      "DIGEST_WEEKLY_CRON",
      "mondays",
      'DIGEST_WEEKLY_CRON must be a cron expression of 5 or 6 fields, such as "0 9 * * 1"',
    ],
    ["DIGEST_TIMEZONE", "Mars/Olympus", "DIGEST_TIMEZONE must be an IANA time zone"],
    ["ATLASSIAN_API_BASE_URL", "ftp://x", "ATLASSIAN_API_BASE_URL must be an http(s) URL"],
    ["SLACK_API_URL", "not a url", "SLACK_API_URL must be an http(s) URL"],
    [
      "ATLASSIAN_API_BASE_URL",
      "https://proxy:p4ss@relay.example.com",
      "ATLASSIAN_API_BASE_URL must not carry a user name or password",
    ],
    [
      "SLACK_API_URL",
      "https://proxy:p4ss@relay.example.com/api/",
      "SLACK_API_URL must not carry a user name or password",
    ],
    ["HOST", "0.0.0.0:3000", "HOST must be an address to listen on, such as 127.0.0.1"],
    ["LOG_LEVEL", "loud", "LOG_LEVEL must be one of fatal, error"],
    ["LOG_FORMAT", "xml", "LOG_FORMAT must be json or pretty"],
  ])("rejects %s=%s with a line that says how to fix it", (name, value, expected) => {
    const found = problems({ ...complete, [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it("takes digests at least 4 hours apart and a weekly one once a week, refusing a cron that would post more often", () => {
    const daily = (cron: string) => problems({ ...complete, DIGEST_CRON: cron });
    const weekly = (cron: string) => problems({ ...complete, DIGEST_WEEKLY_CRON: cron });
    const digests = (daily: string, weekly: string) =>
      parseConfig({ ...complete, DIGEST_CRON: daily, DIGEST_WEEKLY_CRON: weekly }).digest;
    // Daily, on working days, twice a day, at each change of three shifts, with seconds.
    for (const cron of [
      "0 9 * * *",
      "30 8 * * 1-5",
      "0 9,17 * * 1-5",
      "0 6,14,22 * * *",
      "0 0 9 * * *",
    ])
      expect(digests(cron, "0 9 * * 1").cron).toBe(cron);
    for (const cron of ["0 9 * * 1", "30 8 * * FRI", "0 0 9 * * MON"])
      expect(digests("0 9 * * *", cron).weeklyCron).toBe(cron);
    const tooOften = (apart: string) =>
      `DIGEST_CRON runs ${apart} after a run: each run posts a digest to the channel, so give times at least 4 hours apart, such as "0 9 * * *" (09:00 every day) or "0 9,17 * * 1-5" (09:00 and 17:00 on working days)`;
    // Every minute of the 9 o'clock hour, written for 09:00: sixty digests.
    expect(daily("* 9 * * *")).toEqual([tooOften("1 minute")]);
    expect(daily("0 */2 * * *")).toEqual([tooOften("2 hours")]);
    // Six fields begin with the second: this is minute 9 of every hour.
    expect(daily("0 9 * * * *")).toEqual([
      `${tooOften("1 hour")}; with 6 fields the first is the second: "0 0 9 * * *" is 09:00 every day`,
    ]);
    // Three hours apart only across the turn of the year (31 December 23:00, 1 January 02:00),
    // or of a month (the 31st at 21:00, the 1st at 00:00, first in the 71st run).
    expect(daily("0 2,23 1,31 1,12 *")).toEqual([tooOften("3 hours")]);
    expect(daily("0 0,5,10,15,21 */2 * *")).toEqual([tooOften("3 hours")]);
    // Sixty digests on every 29 February, the first in 2028.
    expect(daily("* 9 29 2 *")).toEqual([tooOften("1 minute")]);
    const notWeekly = (apart: string) =>
      `DIGEST_WEEKLY_CRON runs ${apart} after a run, not once a week: each run posts the week's digest to the channel, so give a weekly time such as "0 9 * * 1" (Mondays at 09:00)`;
    expect(weekly("0 9 * * *")).toEqual([notWeekly("1 day")]);
    expect(weekly("0 9 1 * *")).toEqual([notWeekly("28 days")]);
    expect(weekly("0 9 * * MON,THU")).toEqual([notWeekly("3 days")]);
    expect(weekly("0 9 29 2 *")).toEqual([notWeekly("1461 days")]);
    // Only what is wrong with a value that is not a cron at all.
    expect(daily("61 9 * * *")).toHaveLength(1);
    // The commands that only read the database take any cron: a backup, a query or the migration
    // after an upgrade is not stopped by a schedule `start` refuses.
    const stored = parseStoreConfig({
      DIGEST_CRON: "0 9,12 * * *",
      DIGEST_WEEKLY_CRON: "0 9 * * *",
    });
    expect(stored.digest).toMatchObject({ cron: "0 9,12 * * *", weeklyCron: "0 9 * * *" });
    expect(() => parseStoreConfig({ DIGEST_CRON: "61 9 * * *" })).toThrow(
      /DIGEST_CRON must be a cron/,
    );
  });

  it("needs a signing secret only without an app token", () => {
    expect(problems({ ...complete, SLACK_SIGNING_SECRET: undefined })[0]).toMatch(
      /^SLACK_SIGNING_SECRET is required when SLACK_APP_TOKEN is not set/,
    );
    expect(() =>
      parseConfig({ ...complete, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: "xapp-1" }),
    ).not.toThrow();
  });

  it("never shows a secret's value, in errors or when serialised", () => {
    const bad = { ...complete, SLACK_BOT_TOKEN: "xoxp-SECRET-4", SLACK_APP_TOKEN: "SECRET-5" };
    const text = problems(bad).join("\n");
    expect(text).not.toContain("SECRET");
    const config = parseConfig(complete);
    expect(JSON.stringify(config)).not.toContain("SECRET");
    expect(String(config.atlassian.apiKey)).toBe("[redacted]");
    expect(config.atlassian.apiKey.reveal()).toBe("atlassian-key-SECRET-1");
  });
});

describe("parseStoreConfig", () => {
  it("needs no Slack or Atlassian variable", () => {
    expect(parseStoreConfig({ DATABASE_PATH: "/tmp/a.db" }).databasePath).toBe("/tmp/a.db");
    expect(parseStoreConfig({}).databasePath).toBe("./data/mcp-activity.db");
  });
});

describe("secrets from files (<NAME>_FILE)", () => {
  function secretFile(content: string | Buffer): string {
    const path = join(tempDir(), "secret");
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  }

  it.each([
    ["ATLASSIAN_API_KEY", (c: ReturnType<typeof parseConfig>) => c.atlassian.apiKey],
    ["SLACK_BOT_TOKEN", (c: ReturnType<typeof parseConfig>) => c.slack.botToken],
    ["SLACK_SIGNING_SECRET", (c: ReturnType<typeof parseConfig>) => c.slack.signingSecret],
    ["SLACK_APP_TOKEN", (c: ReturnType<typeof parseConfig>) => c.slack.appToken],
  ])("reads %s from %s_FILE, without its trailing newline", (name, pick) => {
    const value =
      name === "SLACK_BOT_TOKEN"
        ? "xoxb-from-file"
        : name === "SLACK_APP_TOKEN"
          ? "xapp-from-file"
          : "from-file";
    const config = parseConfig({
      ...complete,
      [name]: undefined,
      [`${name}_FILE`]: secretFile(`${value}\n`),
    });
    expect(pick(config)?.reveal()).toBe(value);
  });

  it("strips a Windows line ending", () => {
    const config = parseConfig({
      ...complete,
      ATLASSIAN_API_KEY: undefined,
      ATLASSIAN_API_KEY_FILE: secretFile("the-key-0123\r\n"),
    });
    expect(config.atlassian.apiKey.reveal()).toBe("the-key-0123");
  });

  it("refuses a key or token of two lines or with a space, never saying it", () => {
    const found = problems({
      ...complete,
      ATLASSIAN_API_KEY: undefined,
      ATLASSIAN_API_KEY_FILE: secretFile("first-s3kr1t-key\nsecond-s3kr1t-key\n"),
      SLACK_BOT_TOKEN: "xoxb-s3kr1t one",
      SLACK_SIGNING_SECRET: "s3kr1t\u0000sig",
    });
    expect(found).toEqual([
      expect.stringMatching(/^ATLASSIAN_API_KEY must be one value on one line/),
      expect.stringMatching(/^SLACK_BOT_TOKEN must be one value on one line/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET must be one value on one line/),
    ]);
    expect(found.join("\n")).not.toContain("s3kr1t");
    // The export's HMAC key is never sent: a passphrase with spaces is taken as before.
    const phrase = "correct horse battery staple and a long tail";
    const config = parseConfig({
      ...complete,
      EXPORT_URL: "https://siem.example.com/ingest",
      EXPORT_SECRET: phrase,
    });
    expect(config.export?.secret.reveal()).toBe(phrase);
  });

  it("sends keys and tokens over https only, plain http to this machine alone", () => {
    const found = problems({
      ...complete,
      ATLASSIAN_API_BASE_URL: "http://api.atlassian.com",
      SLACK_API_URL: "http://slack.example.com/api/",
    });
    expect(found).toEqual([
      expect.stringMatching(/^ATLASSIAN_API_BASE_URL must use https/),
      expect.stringMatching(/^SLACK_API_URL must use https/),
    ]);
    expect(
      problems({ ...complete, ATLASSIAN_API_BASE_URL: "https://api.atlassian.com/admin/v1" }),
    ).toEqual([
      expect.stringMatching(
        /^ATLASSIAN_API_BASE_URL must be the API's address without \/admin\/v1/,
      ),
    ]);
    const local = parseConfig({
      ...complete,
      ATLASSIAN_API_BASE_URL: "http://127.0.0.1:4010",
      SLACK_API_URL: "http://localhost:4011/api/",
    });
    expect(local.atlassian.apiBaseUrl).toBe("http://127.0.0.1:4010");
  });

  it("checks a value read from a file like one given directly", () => {
    const found = problems({
      ...complete,
      SLACK_BOT_TOKEN: undefined,
      SLACK_BOT_TOKEN_FILE: secretFile("xoxp-SECRET-user-token\n"),
    });
    expect(found).toEqual([expect.stringContaining("SLACK_BOT_TOKEN must start with xoxb-")]);
    expect(found.join("\n")).not.toContain("SECRET");
  });

  it("drops the spaces and line breaks around a file's value, as around one given directly", () => {
    const key = "a".repeat(64);
    const exporting = { ...complete, EXPORT_URL: "https://siem.example.com/in" };
    const direct = parseConfig({ ...exporting, EXPORT_SECRET: `${key} ` });
    const fromFile = parseConfig({ ...exporting, EXPORT_SECRET_FILE: secretFile(` ${key} \r\n`) });
    // Kept, the space would sign every batch with another key than the receiver's.
    expect([direct.export?.secret.reveal(), fromFile.export?.secret.reveal()]).toEqual([key, key]);
  });

  it("refuses a file's value in quotes, naming the variable and the path, never the value", () => {
    const quoted = secretFile('"signing-SECRET-3"\n');
    const found = problems({
      ...complete,
      SLACK_SIGNING_SECRET: undefined,
      SLACK_SIGNING_SECRET_FILE: quoted,
    });
    // Taken with its quotes, every request Slack signs would fail its check.
    expect(found).toEqual([
      `SLACK_SIGNING_SECRET_FILE points at ${quoted}, which holds the value in quotes: remove them (the file holds the value alone)`,
    ]);
  });

  it("refuses a file saved as UTF-16, naming the variable and the path, never the value", () => {
    const key = "0123456789abcdef0123456789abcdef0123456789abcdef";
    // What Windows PowerShell 5's `>` writes: a byte-order mark, then two bytes a character.
    const file = secretFile(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${key}\r\n`, "utf16le")]),
    );
    const found = problems({
      ...complete,
      EXPORT_URL: "https://siem.example.com/in",
      EXPORT_SECRET_FILE: file,
    });
    // Taken as UTF-8, the mark and the NUL bytes would be the key: every batch would fail its check.
    expect(found).toEqual([
      `EXPORT_SECRET_FILE points at ${file}, which is saved as UTF-16 (as PowerShell 5's > and Out-File, or Notepad's "Unicode", save it): save it as UTF-8`,
    ]);
    expect(found.join("\n")).not.toContain("0123456789");
  });

  it("refuses both the variable and its file, naming both", () => {
    const found = problems({ ...complete, SLACK_BOT_TOKEN_FILE: secretFile("xoxb-SECRET-6") });
    expect(found).toEqual([
      "SLACK_BOT_TOKEN and SLACK_BOT_TOKEN_FILE are both set: keep only one of them",
    ]);
  });

  it("names the variable and the path of a missing, unreadable or empty file, never its content", () => {
    const missing = join(tempDir(), "nowhere");
    expect(
      problems({ ...complete, ATLASSIAN_API_KEY: undefined, ATLASSIAN_API_KEY_FILE: missing }),
    ).toEqual([
      `ATLASSIAN_API_KEY_FILE points at ${missing}, which cannot be read (ENOENT): check the path and that this user may read it`,
    ]);

    const folder = tempDir();
    expect(
      problems({ ...complete, SLACK_BOT_TOKEN: undefined, SLACK_BOT_TOKEN_FILE: folder })[0],
    ).toBe(
      `SLACK_BOT_TOKEN_FILE points at ${folder}, which cannot be read (EISDIR): check the path and that this user may read it`,
    );

    const empty = secretFile("\n\n");
    expect(
      problems({ ...complete, SLACK_SIGNING_SECRET: undefined, SLACK_SIGNING_SECRET_FILE: empty }),
    ).toEqual([
      `SLACK_SIGNING_SECRET_FILE points at ${empty}, which is empty: put the SLACK_SIGNING_SECRET value in it`,
    ]);
  });

  it.skipIf(process.getuid?.() === 0)("reports a file this user may not read", () => {
    const locked = secretFile("SECRET-7");
    chmodSync(locked, 0o000);
    const found = problems({
      ...complete,
      ATLASSIAN_API_KEY: undefined,
      ATLASSIAN_API_KEY_FILE: locked,
    });
    expect(found).toEqual([
      expect.stringContaining(
        `ATLASSIAN_API_KEY_FILE points at ${locked}, which cannot be read (EACCES)`,
      ),
    ]);
    expect(found.join("\n")).not.toContain("SECRET");
  });

  it("reads only the secrets a command needs", () => {
    const config = parseIngestConfig({
      ATLASSIAN_ORG_ID: "org-1",
      ATLASSIAN_API_KEY_FILE: secretFile("ingest-key\n"),
      SLACK_BOT_TOKEN_FILE: join(tempDir(), "not-there"),
    });
    expect(config.atlassian.apiKey.reveal()).toBe("ingest-key");
  });
});

describe("EXPORT_URL and EXPORT_SECRET", () => {
  const SECRET = "export-SECRET-0123456789abcdef0123456789";

  it("is off unless both are set, and takes https or plain http to the loopback only", () => {
    expect(parseConfig(complete).export).toBeUndefined();
    for (const url of [
      "https://siem.example.com/ingest",
      "http://127.0.0.1:8088/services/collector",
      "http://localhost:9000/",
    ]) {
      const config = parseConfig({ ...complete, EXPORT_URL: url, EXPORT_SECRET: SECRET });
      expect(config.export?.url).toBe(url);
      expect(config.export?.secret.reveal()).toBe(SECRET);
      expect(JSON.stringify(config)).not.toContain("SECRET");
    }
  });

  it("names each problem: a URL without a secret, a secret without a URL, plain http, a short secret", () => {
    expect(problems({ ...complete, EXPORT_URL: "https://siem.example.com/" })).toEqual([
      expect.stringMatching(/^EXPORT_SECRET is required when EXPORT_URL is set/),
    ]);
    expect(problems({ ...complete, EXPORT_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^EXPORT_URL is required when EXPORT_SECRET is set/),
    ]);
    expect(
      problems({ ...complete, EXPORT_URL: "http://siem.example.com/", EXPORT_SECRET: SECRET }),
    ).toEqual([
      expect.stringMatching(
        /^EXPORT_URL must use https \(plain http only to 127\.0\.0\.1, \[::1\] or localhost\)/,
      ),
    ]);
    expect(problems({ ...complete, EXPORT_URL: "siem", EXPORT_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^EXPORT_URL must be a URL/),
    ]);
    const withPassword = "https://siem:S3CRETTOKEN@siem.example.com/ingest";
    const refused = problems({ ...complete, EXPORT_URL: withPassword, EXPORT_SECRET: SECRET });
    expect(refused).toEqual([
      expect.stringMatching(/^EXPORT_URL must not carry a user name or password/),
    ]);
    expect(refused.join("\n")).not.toContain("S3CRETTOKEN");
    const short = problems({
      ...complete,
      EXPORT_URL: "https://siem.example.com/",
      EXPORT_SECRET: "short-SECRET",
    });
    expect(short).toEqual([expect.stringMatching(/^EXPORT_SECRET must be at least 32 characters/)]);
    expect(short.join("\n")).not.toContain("SECRET-");
  });

  it("reads the secret from EXPORT_SECRET_FILE", () => {
    const file = join(tempDir(), "export-secret");
    writeFileSync(file, `${SECRET}\n`);
    chmodSync(file, 0o600);
    const config = parseConfig({
      ...complete,
      EXPORT_URL: "https://siem.example.com/",
      EXPORT_SECRET_FILE: file,
    });
    expect(config.export?.secret.reveal()).toBe(SECRET);
  });
});

/**
 * docs/deploy.md runs the image with `docker run --env-file .env`, which passes a line on as it
 * is: quotes and trailing spaces stay in the value, where the bot's own reading of `.env` drops
 * them. Taken as given, each failed later for another reason.
 */
describe("values as docker's --env-file passes them", () => {
  it.each([
    ["ATLASSIAN_API_KEY", '"atlassian-key-SECRET-1"'],
    ["ATLASSIAN_ORG_ID", '"org-1"'],
    ["SLACK_SIGNING_SECRET", "'signing-SECRET-3'"],
    ["METRICS_TOKEN", '"metrics-SECRET-4"'],
    ["DATABASE_PATH", '"/data/mcp-activity.db"'],
    ["LOG_LEVEL", '"info"'],
    ["DIGEST_CRON", '"30 8 * * 1-5"'],
    ["SLACK_ALERT_CHANNEL", '"C0123ABCD"'],
    ["SLACK_BOT_TOKEN", '"xoxb-bot-SECRET-2"'],
    ["ATLASSIAN_API_KEY", "\u201Catlassian-key-SECRET-1\u201D"], // pasted from a document
  ])("refuse %s=%s in one line naming the quotes, never the value", (name, value) => {
    expect(problems({ ...complete, [name]: value })).toEqual([
      `${name} is in quotes: docker's --env-file keeps them; remove them`,
    ]);
  });

  it("refuse a quoted value in the commands that read the database alone", () => {
    expect(() => parseStoreConfig({ DATABASE_PATH: "'/data/mcp-activity.db'" })).toThrow(
      "DATABASE_PATH is in quotes: docker's --env-file keeps them; remove them",
    );
  });

  it("refuse a quoted <NAME>_FILE path by its own name, not as a file that cannot be read", () => {
    expect(
      problems({ ...complete, SLACK_BOT_TOKEN: undefined, SLACK_BOT_TOKEN_FILE: '"/run/s/t"' }),
    ).toEqual(["SLACK_BOT_TOKEN_FILE is in quotes: docker's --env-file keeps them; remove them"]);
  });

  it("drop the spaces around a value: DATABASE_PATH is the real database, not one beside it", () => {
    const spaced = { DATABASE_PATH: "/data/mcp-activity.db ", LOG_LEVEL: " warn" };
    expect(parseStoreConfig(spaced).databasePath).toBe("/data/mcp-activity.db");
    const config = parseConfig({
      ...complete,
      ...spaced,
      ATLASSIAN_API_KEY: "atlassian-key-1 ",
      SLACK_SIGNING_SECRET: "signing-3\t",
      METRICS_TOKEN: " metrics-4",
    });
    expect(config.databasePath).toBe("/data/mcp-activity.db");
    expect(config.logLevel).toBe("warn");
    expect(config.atlassian.apiKey.reveal()).toBe("atlassian-key-1");
    expect(config.slack.signingSecret?.reveal()).toBe("signing-3");
    expect(config.metricsToken?.reveal()).toBe("metrics-4");
  });

  it("refuse a key or token with a character a header cannot carry, by name, never saying it", () => {
    const found = problems({
      ...complete,
      ATLASSIAN_API_KEY: "atlassian\u2013key-SECRET-1",
      SLACK_BOT_TOKEN: "xoxb-bot\u2019SECRET-2",
      METRICS_TOKEN: "metrics-SECRET-\u20AC",
    });
    expect(found).toEqual([
      expect.stringMatching(/^ATLASSIAN_API_KEY holds a character an HTTP header cannot carry/),
      expect.stringMatching(/^SLACK_BOT_TOKEN holds a character an HTTP header cannot carry/),
      expect.stringMatching(/^METRICS_TOKEN holds a character an HTTP header cannot carry/),
    ]);
    expect(found.join("\n")).not.toContain("SECRET");
  });
});
