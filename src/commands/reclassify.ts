import { systemClock } from "../clock.js";
import { parseStoreConfig } from "../config.js";
import { AppError } from "../errors.js";
import { catalogFor, classifiedOtherwise } from "../ingest/classify-again.js";
import { reclassify } from "../ingest/normalize.js";
import { loadRulesFile, rulesFileAt } from "../load-rules.js";
import { unfilledSeqs } from "../store/event-columns.js";
import { openCommandStore } from "../store/open.js";
import { holdReclassifyLock } from "../store/reclassify-lock.js";
import { repositories } from "../store/repositories.js";
import { nextTurn } from "../wait.js";
import { counted } from "../words.js";
import { otherThanBot, rulesSetting, rulesWords } from "./bot-rules-file.js";
import type { Command } from "./command.js";
import { readQuarantineAgain } from "./reclassify-quarantine.js";

/** A progress line on stderr every this many events, as `export` says its records. */
const PROGRESS_EVERY = 50_000;

export const reclassifyCommand: Command = {
  name: "reclassify",
  summary:
    "recompute MCP flags, tools and other columns from raw events; store quarantined ones it reads",
  help: `Usage: mcp-activity reclassify [--force]

First reads the quarantined items (stream items a build could not read as events) again, at
each run: those this build reads are stored as events, taken out of the quarantine, and judged by
the bot's rules as events that arrived late (the SIEM export sends them); the others stay. Then
re-reads every stored event's raw JSON with the current classification: the action catalogue
last fetched from /event-actions, the extra MCP action keys and tools of RULES_FILE, and this
release's tool catalogue, and records the personal baselines (first calls per scope, calls per
hour) again from the result. Run it after changing those, with the bot's RULES_FILE; it never
calls Atlassian. It says which rules file it applies, and refuses to run without the one the bot
last started with, or with another: stored events would be classified otherwise than new ones.
Progress goes to stderr. Ctrl-C stops it once the chunk of events being written is committed
(exit 130): run it again to finish; until then \`tools\` and the bot's start say it was stopped. One runs at a
time on a database: a second is refused while the first runs.

Options:
  --force    classify with this RULES_FILE (or none) all the same; start the bot the same way`,
  options: { force: { type: "boolean" } },
  async run({ values }, { env, stdout, stderr }) {
    const config = parseStoreConfig(env);
    const rules = loadRulesFile(config.rulesFile);
    const { rulesFile: applied, digest } = rulesFileAt(config.rulesFile);
    const db = openCommandStore(config.databasePath, {
      existing: true,
      writes: true,
      beforeUpgrade: () => loadRulesFile(config.rulesFile),
    });
    let running: { release(): void } | undefined;
    try {
      running = holdReclassifyLock(config.databasePath);
      const stores = repositories(db);
      const {
        events,
        eventActions: actions,
        transaction,
        classifiedWith,
        reclassifyUnfinished: unfinished,
      } = stores;
      const bot = classifiedWith.get();
      // Without the bot's rules file (a shell without its environment), what it classified
      // would be undone; with a first one, the bot only needs a restart to agree.
      const other = bot?.rulesFile === null ? undefined : otherThanBot(bot, applied);
      if (other && values.force !== true)
        throw new AppError(
          "RECLASSIFY_RULES",
          `the bot classifies new events with ${other.said}, this run with ${rulesWords(applied)}: stored events would be classified otherwise than new ones. Run it with ${rulesSetting(other.rulesFile)}, or add --force to classify them this way (then start the bot the same way)`,
        );
      stdout.write(
        `classifying with ${rulesWords(applied)}${applied === null ? "" : ` (${counted(Object.keys(rules.tools).length, "tool")}, ${counted(rules.mcpActionKeys.length, "extra MCP action key")})`}\n`,
      );
      if (bot && bot.rulesFile !== applied)
        stdout.write(
          `the bot started with ${rulesWords(bot.rulesFile)}: restart it with ${rulesSetting(applied)} so that new events are classified as these\n`,
        );
      else if (bot && applied !== null && bot.digest !== digest)
        stdout.write(
          `the bot read ${applied} at its start, before it was changed: restart it so that new events are classified as these\n`,
        );
      const stop = stopRequest();
      try {
        const signalled = () => stop.signal !== undefined;
        if (!(await readQuarantineAgain(stores, rules, { stdout, stderr }, signalled)))
          return stop.signal === "SIGINT" ? 130 : 143;
        const orgs = events.orgs();
        const total = orgs.reduce((sum, orgId) => sum + events.counts(orgId).events, 0);
        const progress = progressLines(total, stderr);
        for (const [index, orgId] of orgs.entries()) {
          const catalog = catalogFor(actions.all(orgId), rules);
          unfinished.began(orgId, systemClock.now());
          let read = 0;
          let changed = 0;
          let filled = 0;
          for (const chunk of events.iterate(orgId)) {
            const updated = chunk.map((event) => reclassify(event, catalog));
            // Calls stored before their operation had a column are written whatever changed.
            const unfilled = unfilledSeqs(db, chunk[0]?.seq ?? 0, chunk.at(-1)?.seq ?? 0);
            const other = updated.filter((event, i) => classifiedOtherwise(event, chunk[i]));
            const fill = updated.filter(
              (event, i) =>
                !classifiedOtherwise(event, chunk[i]) && unfilled.has(chunk[i]?.seq ?? -1),
            );
            transaction(() => events.updateClassification([...other, ...fill]));
            read += chunk.length;
            changed += other.length;
            filled += fill.length;
            progress.read(chunk.length);
            // Each chunk is committed whole: a Ctrl-C, heard between two, stops after one.
            await nextTurn();
            if (stop.signal)
              return stopped(
                stop.signal,
                `${progress.done} of ${total}`,
                orgs.slice(index),
                stderr,
              );
          }
          // The baselines count MCP calls as they were classified when stored: recorded again
          // whatever changed in this run, as a run cut short may have changed flags and no baseline.
          if (read > 0) {
            progress.baselines(orgId);
            events.rebuildBaselines(orgId, systemClock.now());
          }
          unfinished.ended(orgId);
          const counts = events.counts(orgId);
          stdout.write(
            `${orgId}: ${read} events read, ${changed} changed${filled > 0 ? `, ${filled} given their operation and guessed flag (stored before those had columns)` : ""}; ${counts.mcp} MCP events now\n`,
          );
        }
        if (orgs.length === 0) stdout.write("no events stored yet\n");
      } finally {
        stop.release();
      }
    } finally {
      running?.release();
      db.close();
    }
    return 0;
  },
};

/** Says what is left to do, once the chunk being written when the signal came is committed. */
function stopped(
  signal: NodeJS.Signals,
  events: string,
  left: readonly string[],
  stderr: NodeJS.WritableStream,
): number {
  stderr.write(
    `\nstopped: ${events} events reclassified, baselines not rebuilt${left.length > 1 ? ` (${left.join(", ")})` : ""}; run \`mcp-activity reclassify\` again to finish\n`,
  );
  return signal === "SIGINT" ? 130 : 143;
}

/** A line on stderr every PROGRESS_EVERY events read, and before the baselines' long sum. */
function progressLines(total: number, stderr: NodeJS.WritableStream) {
  let done = 0;
  return {
    get done() {
      return done;
    },
    read(count: number) {
      const before = Math.floor(done / PROGRESS_EVERY);
      done += count;
      if (Math.floor(done / PROGRESS_EVERY) > before)
        stderr.write(
          `reclassify: ${done} of ${total} events (${Math.min(100, Math.floor((done / Math.max(total, 1)) * 100))}%)\n`,
        );
    },
    baselines(orgId: string) {
      if (total >= PROGRESS_EVERY)
        stderr.write(`reclassify: recording the personal baselines of ${orgId} again\n`);
    },
  };
}

/** SIGINT and SIGTERM noted instead of ending the process: the loop looks between two chunks. */
function stopRequest() {
  const request: { signal?: NodeJS.Signals; release: () => void } = {
    release: () => {
      process.off("SIGINT", note);
      process.off("SIGTERM", note);
    },
  };
  const note = (signal: NodeJS.Signals) => {
    request.signal = signal;
  };
  process.on("SIGINT", note);
  process.on("SIGTERM", note);
  return request;
}
