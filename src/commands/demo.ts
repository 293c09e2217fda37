import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConsoleUser } from "../console/slack-api.js";
import { loadRulesFile } from "../load-rules.js";
import { createLogger } from "../logger.js";
import { Secret } from "../secret.js";
import { startSimulator } from "../simulator/index.js";
import { consolePerson, scenarioRulesYaml, scriptedScenario } from "../simulator/scenario.js";
import { DAY } from "../time-units.js";
import { counted } from "../words.js";
import type { Command } from "./command.js";
import { runWithConsole } from "./console-run.js";
import { shutdownSignal } from "./lifecycle.js";
import { wholeOption } from "./options.js";

const API_KEY = "demo-key";

export const demoCommand: Command = {
  name: "demo",
  summary: "try it with no accounts: a simulated organization, Slack shown on this terminal",
  help: `Usage: mcp-activity demo [--every SECONDS] [--days D] [--seed S] [--rules FILE] [--keep]

Runs the whole product on this machine: a simulated Atlassian organization (its audit log served
on 127.0.0.1, with working days, quiet nights and weekends), the real poller, rules, notifier,
digest and command handlers, and a console channel in Slack's place. The first two minutes play
a short scripted scenario, the main kinds of alert. Alerts, thread replies and digests are printed here; at the prompt,
type /mcp-activity commands and press buttons (\`ack 3\`, \`expected 3\`, \`digest\`; type help).
Ctrl-C or quit stops it. The data lives in a temporary folder, removed at the end.

Options:
  --every SECONDS   a new audit event every SECONDS (default 2)
  --days D          days of history to backfill first (default 2)
  --seed S          which simulated organization (default 1)
  --rules FILE      a rules file to try (see docs/rules.md); without it, the demo's own: the
                    defaults and one canary issue, which the scenario reads
  --keep            keep the temporary folder (database, log, files) and say where it is`,
  options: {
    every: { type: "string" },
    days: { type: "string" },
    seed: { type: "string" },
    rules: { type: "string" },
    keep: { type: "boolean" },
  },
  async run({ values }, { stdout, env }) {
    const signal = shutdownSignal();
    const everySeconds = wholeOption(values.every, "every", 2, 1, 3600);
    const days = wholeOption(values.days, "days", 2, 0, 30);
    const seed = wholeOption(values.seed, "seed", 1, 0, 2 ** 31);
    // A file given is checked before anything starts, its problems named after the option.
    if (typeof values.rules === "string") loadRulesFile(values.rules, "--rules");
    const dir = mkdtempSync(join(tmpdir(), "mcp-activity-demo-"));
    const now = Date.now();
    const sim = await startSimulator({
      apiKey: API_KEY,
      port: 0,
      seed,
      intervalMs: everySeconds * 1000,
      start: now - days * DAY,
      // Working days, quiet nights and weekends: the digest's chart has a shape.
      profile: "realistic",
    });
    // The first two minutes play the main kinds of alert, so nobody waits for chance to show them.
    const scenario = scriptedScenario(sim.org, now);
    for (const step of scenario) sim.stream.inject([step.event], step.at);
    try {
      // The scenario's canary read alerts only where a canary is declared: the demo's rules do.
      let rulesFile = typeof values.rules === "string" ? values.rules : undefined;
      if (rulesFile === undefined) {
        rulesFile = join(dir, "rules.yml");
        writeFileSync(rulesFile, scenarioRulesYaml(sim.org));
      }
      const me = consolePerson(sim.org);
      const user: ConsoleUser = {
        id: "UCONSOLE1",
        name: me?.name ?? "you",
        email: me?.email ?? "you@console.invalid",
        timeZone: "UTC",
      };
      const logFile = join(dir, "demo.log");
      const organization = {
        orgId: sim.orgId,
        apiKey: new Secret(API_KEY),
        apiKeyExpires: undefined,
        keyAlsoOf: [],
        keyWarnedBy: undefined,
      };
      await runWithConsole({
        config: {
          databasePath: join(dir, "demo.db"),
          retentionDays: 400,
          logLevel: env.LOG_LEVEL === "debug" ? "debug" : "info",
          logFormat: "json",
          rulesFile,
          digest: { cron: "0 9 * * *", timezone: "UTC" },
          atlassian: { ...organization, apiBaseUrl: sim.url, organizations: [organization] },
          pollIntervalSeconds: 5,
          backfillDays: days,
          port: 0,
          host: "127.0.0.1",
          metricsToken: undefined,
        },
        logger: createLogger({ level: "info", format: "json", file: logFile }),
        user,
        filesIn: dir,
        keepFiles: values.keep === true,
        stdout,
        signal,
        // Also when the stop is cut short, which ends the process before the `finally` below.
        atLast: () => {
          if (values.keep !== true) rmSync(dir, { recursive: true, force: true });
        },
        prompt: true,
        intro:
          `\nmcp-activity demo: ${sim.org.roster.people.length} people of a simulated organization use AI tools through the Rovo MCP server.\n` +
          `Backfilling ${sim.countValidEventsUpTo(now).toLocaleString("en-US")} audit events (${counted(days, "day")}; backfilled events never alert), then a new one every ${everySeconds} s.\n` +
          `In the first two minutes a short scripted scenario plays: ${[...new Set(scenario.map((s) => s.shows))].join("; ")}.\n` +
          `You are ${user.name} (${user.email}), a responder in #security. The log is in ${logFile}.\n\n`,
      });
    } finally {
      await sim.close();
      if (values.keep === true) stdout.write(`\nThe demo's files are kept in ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    }
    stdout.write("demo stopped\n");
    return 0;
  },
};
