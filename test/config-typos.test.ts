import { describe, expect, it } from "vitest";
import { mistypedVariables } from "../src/config-typos.js";

const meant = (name: string) => {
  const [said] = mistypedVariables({ [name]: "x" });
  return said?.match(/did you mean (\w+)\?$/)?.[1];
};

describe("mistyped variables", () => {
  it.each([
    ["POLL_INTERVALL_SECONDS", "POLL_INTERVAL_SECONDS"],
    ["SLACK_BOT_TOKN", "SLACK_BOT_TOKEN"],
    ["RULE_FILE", "RULES_FILE"],
    ["RULESFILE", "RULES_FILE"],
    ["BACKFIL_DAYS", "BACKFILL_DAYS"],
    ["LOGLEVEL", "LOG_LEVEL"],
    ["log_level", "LOG_LEVEL"],
    ["METRIC_TOKEN", "METRICS_TOKEN"],
    ["DB_PATH", "DATABASE_PATH"],
    ["DATABASE_FILE", "DATABASE_PATH"],
    ["DIGEST_TZ", "DIGEST_TIMEZONE"],
    ["SLACK_CHANNEL_ID", "SLACK_ALERT_CHANNEL"],
    ["SLACK_TOKEN", "SLACK_BOT_TOKEN"],
  ])("%s: did you mean %s?", (name, known) => {
    expect(meant(name)).toBe(known);
  });

  it("leaves alone what other software sets, and names unlike any of ours", () => {
    const env = Object.fromEntries(
      [
        "HOME",
        "HOSTNAME",
        "PATH",
        "PWD",
        "TERM",
        "LANG",
        "TZ",
        "NODE_ENV",
        "NODE_VERSION",
        "npm_config_cache",
        "YARN_VERSION",
        "DATABASE_URL",
        "SLACK_WEBHOOK_URL",
        "AWS_REGION",
        "PORT",
        "HOST",
        "PORT0",
        "PORT1",
        "PORTS",
        "HOST0",
        "HOSTS",
        "REPORT_URL",
        "IMPORT_URL",
        "SORT",
        "PART",
        "KUBERNETES_SERVICE_HOST",
        "GITHUB_TOKEN",
        "HTTP_PROXY",
        "NO_PROXY",
        "CI",
        "INVOCATION_ID",
        "JOURNAL_STREAM",
      ].map((name) => [name, "x"]),
    );
    expect(mistypedVariables(env)).toEqual([]);
  });
});
