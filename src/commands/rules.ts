import { stringify } from "yaml";
import { systemClock } from "../clock.js";
import { parseStoreConfig } from "../config.js";
import { DetectionEngine } from "../detect/engine.js";
import { MemorySink } from "../detect/replay.js";
import { RULE_IDS } from "../detect/rules/index.js";
import { loadRulesFile } from "../detect/rules-file.js";
import { UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { EventStore } from "../store/events.js";
import { openStore } from "../store/open.js";
import type { Command } from "./command.js";

const DAY = 86_400_000;

export const rulesCommand: Command = {
  name: "rules",
  summary: "check a rules file, or replay stored history through the rules",
  help: `Usage: mcp-activity rules check [FILE]
       mcp-activity rules test [--days N]

check   validates FILE (default: RULES_FILE) and prints the effective configuration,
        defaults included. Exit 2 with one line per problem when it is not valid.
test    replays the events stored in the last N days (default 7, history included) through
        the current rules and prints how many alerts each rule would have raised, how many
        would have been posted and how many suppressed. Nothing is stored or posted.

Options:
  --days N   days of stored events to replay (test only)`,
  options: { days: { type: "string" } },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals }, { env, stdout }) {
    const [action, file] = positionals;
    if (action === "check") {
      const path = file ?? env.RULES_FILE;
      const rules = loadRulesFile(path);
      stdout.write(
        `# ${path ?? "no RULES_FILE set"}: valid. Effective configuration:\n${stringify(rules)}`,
      );
      return 0;
    }
    if (action !== "test" || file !== undefined)
      throw new UsageError(`unknown rules action "${positionals.join(" ")}"`);
    const days = Number(values.days ?? "7");
    if (!Number.isInteger(days) || days < 1)
      throw new UsageError("--days must be a whole number of days, 1 or more");
    const config = parseStoreConfig(env);
    const rules = loadRulesFile(config.rulesFile);
    const db = openStore(config.databasePath);
    try {
      const orgs = new EventStore(db).orgs();
      const since = systemClock.now() - days * DAY;
      const logger = createLogger({ level: "warn", format: config.logFormat, fd: 2 });
      for (const orgId of orgs) {
        const engine = new DetectionEngine({
          db,
          clock: systemClock,
          logger,
          orgId,
          config: rules,
        });
        const sink = new MemorySink();
        let evaluated = 0;
        for (const chunk of new EventStore(db).iterate(orgId, 2_000)) {
          evaluated += engine.replay(
            chunk.filter((event) => event.time >= since),
            sink,
          ).evaluated;
        }
        stdout.write(`${orgId}: ${evaluated} events of the last ${days} day(s) replayed\n`);
        stdout.write(
          table(
            sink
              .tally(RULE_IDS)
              .map((t) => [
                t.ruleId,
                rules.rules[t.ruleId]?.enabled ? "" : "(off)",
                t.alerts,
                t.events,
                t.posted,
                t.suppressed,
              ]),
          ),
        );
      }
      if (orgs.length === 0)
        stdout.write("no events stored yet: run `mcp-activity poll --once` first\n");
    } finally {
      db.close();
    }
    return 0;
  },
};

function table(rows: Array<Array<string | number>>): string {
  const all = [["rule", "", "alerts", "events", "posted", "suppressed"], ...rows].map((row) =>
    row.map(String),
  );
  const widths = all[0]?.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0))) ?? [];
  return `${all.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")).join("\n")}\n`;
}
