import { writeFileSync } from "node:fs";
import { createServer as createHttpServer, request } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";
import { startFakeSlack } from "./fakes/slack-api.js";
import { BOT_ENV, RunningCli, runCli } from "./helpers/cli.js";
import { databaseV9 } from "./helpers/database-v9.js";
import { healthz, healthzUntil } from "./helpers/health.js";
import { tempDir } from "./helpers/tmp.js";

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

function start(extra: Record<string, string> = {}): RunningCli {
  const cli = new RunningCli(["start"], {
    ...BOT_ENV,
    DATABASE_PATH: join(tempDir(), "start.db"),
    ...extra,
  });
  running.push(cli);
  return cli;
}

describe("mcp-activity start", () => {
  it("answers /healthz and exits 0 on SIGTERM", async () => {
    const cli = start();
    const port = await cli.port();
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ok", database: { ok: true } });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof body.uptimeSeconds).toBe("number");
    expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);

    cli.child.kill("SIGTERM");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(cli.lines.some((line) => line.msg === "stopped")).toBe(true);
    expect(cli.lines.find((line) => typeof line.port === "number")?.msg).toMatch(
      /^mcp-activity \S+ listening on port \d+, with the default rules \(no RULES_FILE\)$/,
    );
    expect(result.stdout).not.toContain("hunter2");
  });

  it("stops at once when told to while Slack does not answer who the bot is: no worker starts", async () => {
    const slack = await startFakeSlack();
    try {
      slack.failNext("auth.test", { hang: true });
      const cli = start({ SLACK_API_URL: slack.url, LOG_LEVEL: "debug" });
      await cli.port();
      await slack.waitFor(() => slack.callsTo("auth.test").length > 0, 10_000, "auth.test");
      cli.child.kill("SIGTERM");
      const result = await cli.done;
      expect(result.code, result.stderr).toBe(0);
      const started = cli.lines.filter(
        (line) => line.component === "retention" || line.component === "poller",
      );
      expect(started).toEqual([]);
    } finally {
      await slack.close();
    }
  });

  it("turns /healthz 503 at once for an alert channel Slack does not show the bot, with SLACK_RESPONDERS set too", async () => {
    const slack = await startFakeSlack();
    try {
      // A mistyped id, or a private channel the bot was never invited to.
      slack.failNext("conversations.info", { error: "channel_not_found" }, 100);
      const cli = start({ SLACK_API_URL: slack.url, SLACK_RESPONDERS: "U0LEAD001" });
      const port = await cli.port();
      const health = await healthzUntil<{ slack: { problem: string | null } }>(
        port,
        (h) => h.status === 503,
        "/healthz 503",
      );
      expect(health.body.slack.problem).toBe(
        "check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there",
      );
      expect(slack.callsTo("chat.postMessage")).toHaveLength(0); // before any message is due
    } finally {
      await slack.close();
    }
  });

  it("exits 0 on SIGINT too", async () => {
    const cli = start();
    await cli.port();
    cli.child.kill("SIGINT");
    expect((await cli.done).code).toBe(0);
  });

  it("says which port is in use, in one line, and exits 1", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = await start({ PORT: String(port), HOST: "127.0.0.1" }).done;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `mcp-activity start: PORT ${port} is in use on 127.0.0.1: stop what listens there, or choose another port with PORT`,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      taken.close();
    }
  });

  it("refuses a second bot on the same database, and starts once the first is gone, even killed", async () => {
    const path = join(tempDir(), "one.db");
    const first = start({ DATABASE_PATH: path });
    await first.port();
    const second = await start({ DATABASE_PATH: path }).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      "mcp-activity start: another mcp-activity is using the database at",
    );
    // The lock's holder may also be a migrate: the words do not say it is a bot alone.
    expect(second.stderr).toContain(
      "or a migrate or other command upgrading it (wait for it to end)",
    );
    first.child.kill("SIGKILL");
    await first.done;
    const third = start({ DATABASE_PATH: path });
    expect(await third.port()).toBeGreaterThan(0);
  });

  it("checks the rules file before it upgrades the database: a refused file changes nothing", async () => {
    const path = join(tempDir(), "old.db");
    databaseV9(path, 10);
    const dir = tempDir();
    const rules = join(dir, "rules.yml");
    writeFileSync(rules, "rules:\n  mcp-api-token:\n    mode: once\n    windowHours: 2\n");
    const refused = start({ DATABASE_PATH: path, RULES_FILE: rules });
    const done = await refused.done;
    expect(done.code).toBe(2);
    expect(done.stderr).toContain("windowHours");
    const db = new Database(path, { readonly: true });
    const versions = db.prepare("SELECT max(version) AS v FROM schema_migrations").get();
    db.close();
    expect(versions).toEqual({ v: 9 });
  });

  it("refuses a weekly check whose cron is not weekly, as rules check does", async () => {
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, 'attestation:\n  cron: "0 10 * * *"\n');
    const refused = await start({ RULES_FILE: rules }).done;
    const checked = await runCli(["rules", "check"], { RULES_FILE: rules });
    const line = `RULES_FILE ${rules}: attestation.cron: it runs 1 day after a run, not once a week`;
    for (const result of [refused, checked]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(line);
    }
  });

  it("says at once, in the log and /healthz, that a SLACK_API_URL answering 404 for auth.test (the host alone, a proxy's root) is not the Web API's", async () => {
    const slack = await startFakeSlack();
    try {
      // The fake answers 404 where Slack has no Web API method: here, at /auth.test.
      const root = slack.url.replace(/api\/$/, "");
      const cli = start({ SLACK_API_URL: root });
      const port = await cli.port();
      const advice = `SLACK_API_URL ${root} answers 404 for auth.test: it must be Slack's Web API base, https://slack.com/api/, or a proxy to it`;
      const health = await healthzUntil<{ slack: { problem: string | null } }>(
        port,
        (h) => h.status === 503,
        "/healthz 503",
      );
      expect(health.body.slack.problem).toBe(advice);
      expect(cli.lines.map((line) => line.msg)).toContain(
        `The bot cannot call Slack's Web API (HTTP 404): ${advice}. Messages stay queued.`,
      );
      expect(slack.calls).toEqual([]); // none reached the Web API's methods
    } finally {
      await slack.close();
    }
  });

  it("takes a SLACK_API_URL of a proxy serving the Web API under its own path", async () => {
    const slack = await startFakeSlack();
    const target = new URL(slack.url);
    // The proxy: /slack/<method> → <the Web API>/api/<method>.
    const proxy = createHttpServer((req, res) => {
      const path = (req.url ?? "/").replace(/^\/slack\//, "/api/");
      const options = { host: target.hostname, port: target.port, path, method: req.method };
      const upstream = request({ ...options, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      // The Web API closed at the test's end while the bot still calls: the bot's call fails.
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((listening) => proxy.listen(0, "127.0.0.1", listening));
    const { port: proxyPort } = proxy.address() as AddressInfo;
    try {
      const cli = start({ SLACK_API_URL: `http://127.0.0.1:${proxyPort}/slack/` });
      const port = await cli.port();
      await slack.waitFor(() => slack.callsTo("conversations.info").length > 0, 15_000, "look-up");
      const health = await healthz<{ slack: { problem: string | null } }>(port);
      expect(health.status).toBe(200);
      expect(health.body.slack.problem).toBeNull();
      expect(slack.callsTo("auth.test").length).toBeGreaterThan(0);
    } finally {
      proxy.close();
      proxy.closeAllConnections();
      await slack.close();
    }
  });

  it("warns once when the weekly check is on with a retention shorter than its week", async () => {
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, 'attestation:\n  cron: "0 10 * * MON"\n');
    const cli = start({ RULES_FILE: rules, RETENTION_DAYS: "3" });
    await cli.port();
    cli.child.kill("SIGTERM");
    expect((await cli.done).code).toBe(0);
    const told = cli.lines.filter((line) => String(line.msg).includes("weekly check"));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ level: 40, retentionDays: 3 });
    expect(told[0]?.msg).toContain("RETENTION_DAYS is 3");
    expect(told[0]?.msg).toContain("attestation in RULES_FILE");
  });

  it("warns once of each thing its rules file quiets of what the product is there to catch", async () => {
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(
      rules,
      "tools:\n  deleteJiraIssue: { class: read }\nrules:\n  mcp-burst: { enabled: false }\nsuppressions:\n  - { actor: Person d, reason: cleanup bot }\n  - { rule: mcp-write, reason: too noisy }\n",
    );
    const cli = start({ RULES_FILE: rules });
    await cli.port();
    cli.child.kill("SIGTERM");
    expect((await cli.done).code).toBe(0);
    const warned = cli.lines
      .filter((line) => line.level === 40 && String(line.msg).startsWith("RULES_FILE"))
      .map((line) => line.msg);
    expect(warned).toEqual([
      `RULES_FILE ${rules}: tools.deleteJiraIssue: class read lowers a tool the catalogue classes destructive: its calls raise no mcp-destructive alert and no posture drift under destructiveTools: off (remove the entry to keep the catalogue's class)`,
      `RULES_FILE ${rules}: rules.mcp-burst: enabled: false turns off the alerts of bursts of MCP calls`,
      `RULES_FILE ${rules}: suppressions.1: rule: mcp-write with no actor, group or tool quiets every alert of write calls: none reaches the channel (the digest counts them as quieted)`,
      `RULES_FILE ${rules}: suppressions.0.actor: "Person d" is neither an e-mail address nor an Atlassian account id, so it matches nobody: a person is named by account id or e-mail, not by name`,
    ]);
  });

  it("warns at its start that a reclassify was stopped before the end", async () => {
    const path = join(tempDir(), "mixed.db");
    const db = openStore(path);
    // What a reclassify stopped by Ctrl-C (or a crash) leaves.
    db.prepare("INSERT INTO reclassify_unfinished (org_id, started_at) VALUES ('org-1', 0)").run();
    db.close();
    const cli = start({ DATABASE_PATH: path });
    await cli.port();
    cli.child.kill("SIGTERM");
    expect((await cli.done).code).toBe(0);
    const told = cli.lines.filter((line) => String(line.msg).includes("reclassify"));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ level: 40, orgId: "org-1" });
    expect(told[0]?.msg).toBe(
      "org-1: a reclassify begun 1970-01-01T00:00:00.000Z was stopped before the end: stored events are classified partly as before it and the personal baselines are not recorded again; run `mcp-activity reclassify` again (with the bot's RULES_FILE) to finish",
    );
  });

  it("stops after the batch it is moving on SIGTERM, and the next start goes on from there", async () => {
    const path = join(tempDir(), "old.db");
    databaseV9(path, 40_000); // a first batch of 1,000, then at most 10,000 a batch
    const first = start({ DATABASE_PATH: path, ATLASSIAN_ORG_ID: "org-m" });
    // Told to stop as the first batch begins: the batch it is moving when the signal is handled
    // ends (the first, or the next on a fast disk), no other starts. Which one is a matter of
    // timing; that a stop takes effect after the transaction it comes in is migrate-0010's test.
    await new Promise<void>((resolve) => {
      first.child.stderr?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("into the compact table")) resolve();
      });
    });
    first.child.kill("SIGTERM");
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(first.lines.map((line) => line.msg)).toContain(
      "stopped during the migration: the next start goes on from where it stopped",
    );
    const db = new Database(path, { readonly: true });
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    const left = count("events_v9") as number;
    const moved = count("events") as number;
    db.close();
    // Nothing lost or doubled; the first batch moved, and at most one full batch after it.
    expect(moved + left).toBe(40_000);
    expect(left).toBeLessThanOrEqual(39_000);
    expect(left).toBeGreaterThanOrEqual(39_000 - 10_000);
    const lines = [...stopped.stderr.matchAll(/migration 0010: (\d+) of 40000 events moved/g)];
    expect(lines[0]?.[1]).toBe("1000");
    // Said before the move, as what it is: the schema applied, the events moved next.
    expect(stopped.stderr).toMatch(
      /applied the schema of \d+ migration\(s\): 0010_compact_events\.sql, [^\n]+; migration 0010 now moves the stored events\n/,
    );

    const second = start({ DATABASE_PATH: path, ATLASSIAN_ORG_ID: "org-m" });
    const { port } = await second.waitFor((line) => typeof line.port === "number", 40_000);
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ poller: { eventsStored: 40_000 } });
  }, 60_000);
});
