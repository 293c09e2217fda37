import { systemClock } from "../clock.js";
import { parseOrgIds, parseStoreConfig } from "../config.js";
import { noiseOf, type Planned, sharedNoiseOf, verdict } from "../detect/budget.js";
import { DetectionEngine } from "../detect/engine.js";
import { MemorySink } from "../detect/replay.js";
import { RULE_IDS } from "../detect/rules/index.js";
import { UsageError } from "../errors.js";
import { catalogFor, classifiedAgain, classifiedOtherwise } from "../ingest/classify-again.js";
import { loadRulesFile } from "../load-rules.js";
import { createLogger } from "../logger.js";
import { idNamed } from "../organizations.js";
import { FactStore } from "../store/facts.js";
import { openCommandStore } from "../store/open.js";
import { ReplayBaselines } from "../store/replay-baselines.js";
import { repositories } from "../store/repositories.js";
import { quotedVisibly } from "../terminal-text.js";
import { DAY } from "../time-units.js";
import { counted } from "../words.js";
import type { Command } from "./command.js";
import { NO_EVENTS_YET, wholeOption } from "./options.js";
import { rulesCheck } from "./rules-check.js";
import { messagesIn, messagesLine, partialBaseline, replayProgress } from "./rules-test-lines.js";

export const rulesCommand: Command = {
  name: "rules",
  summary: "check a rules file, or replay stored history through the rules",
  help: `Usage: mcp-activity rules check [FILE]
       mcp-activity rules test [--days N]

check   validates FILE (default: RULES_FILE) and prints the effective configuration,
        defaults included, in the file's syntax (JSON for a .json file, else YAML), then the
        suppressions responders added from alerts (kept in the database at DATABASE_PATH, not
        in the file) as comments, or on stderr beside JSON. Exit 2 with one line per problem
        when the file is not valid.
test    replays the events stored in the last N days (default 7, history included) through
        the rules of RULES_FILE, each event classified by its tools and mcpActionKeys, and
        a rule in once mode knowing what the bot had already alerted about; it prints how
        many alerts each rule would have raised, how many would have been posted and how
        many quieted; then the messages a day the channel would get with maxAlertsPerHour
        applied, and whether that stays readable. With several organizations, each one's
        messages under its own budget, then the channel's verdict on all of them together.
        When ATLASSIAN_ORG_ID is set, only its organizations are replayed; unset, every
        organization stored is, as if the bot posted for all of them.
        The first day stored, with no history before it, teaches the rules and is not
        counted. Progress goes to stderr on a long replay. Nothing is stored or posted.

Options:
  --days N   days of stored events to replay (test only)`,
  options: { days: { type: "string" } },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals }, { env, stdout, stderr }) {
    const [action, file] = positionals;
    if (action === "check") {
      if (values.days !== undefined)
        throw new UsageError(
          "--days goes with test: check reads the rules file, it replays nothing",
        );
      return rulesCheck(file, { env, stdout, stderr }, systemClock.now());
    }
    if (action !== "test" || file !== undefined)
      throw new UsageError(`unknown rules action ${quotedVisibly(positionals.join(" "))}`);
    const days = wholeOption(values.days, "days", 7, 1, 36_500);
    const config = parseStoreConfig(env);
    const listed = parseOrgIds(env);
    const rules = loadRulesFile(config.rulesFile);
    const db = openCommandStore(config.databasePath, {
      existing: true,
      beforeUpgrade: () => loadRulesFile(config.rulesFile),
    });
    const stores = repositories(db);
    try {
      const storedOrgs = stores.events.orgs();
      // The bot posts only for the organizations it watches (ids read in any case, each the one
      // stored it names): the others' events stay stored.
      const named = new Set(listed.map((id) => idNamed(storedOrgs, id)));
      const orgs = listed.length === 0 ? storedOrgs : storedOrgs.filter((org) => named.has(org));
      const unwatched = storedOrgs.filter((org) => !orgs.includes(org));
      if (unwatched.length > 0)
        stdout.write(
          `not replayed, as not in ATLASSIAN_ORG_ID (the bot posts nothing for them): ${unwatched.join(", ")}\n`,
        );
      // Unset, the bot's list is unknown: one no longer watched would be counted as posting.
      if (listed.length === 0 && storedOrgs.length > 1)
        stdout.write(
          `ATLASSIAN_ORG_ID is not set: all ${storedOrgs.length} organizations stored are counted as posting to the channel; set it to the bot's list to count only those\n`,
        );
      // One moment for every organization: the days counted are the days asked, not a little more.
      const now = systemClock.now();
      const since = now - days * DAY;
      const logger = createLogger({ level: "warn", format: config.logFormat, fd: 2 });
      // Every organization posts to the one channel: its noise is theirs added up.
      const channel: Array<{ alerts: Planned[]; countFrom: number }> = [];
      for (const orgId of orgs) {
        // A person's hours older than the bot keeps are counted from the stored events.
        const baselines = new ReplayBaselines(db, now, stores.prunedBefore.get(orgId));
        const engine = new DetectionEngine({
          stores: { ...stores, facts: new FactStore(db, baselines) },
          clock: systemClock,
          logger,
          orgId,
          config: rules,
        });
        const first = stores.events.iterate(orgId, 2_000).next();
        // The first day stored has no history before it: everyone and every tool is new then. It
        // starts at the first event processed (a call Atlassian processed late may have happened
        // days before), and is replayed whenever the days asked reach into it.
        const stored = first.done
          ? now
          : Math.min(...first.value.map((e) => e.processedAt ?? e.time));
        const firstDayReplayed = since < stored + DAY;
        // The calls processed in the days asked, as the bot read them, a late one made before them
        // too. From the first event made in them (the store keeps the order calls were read in):
        // not the whole history, read and dropped; reaching into the first day, from the first.
        const chunks = stores.events.iterate(
          orgId,
          2_000,
          firstDayReplayed
            ? 0
            : (stores.activity.replayFrom(orgId, since) ?? stores.events.maxSeq(orgId)),
        );
        // Counted from a day after the first event, or, with less than a day stored, from the
        // first event: not over days that hold none.
        const dayStored = stored + DAY < now;
        const countFrom = !firstDayReplayed
          ? since
          : dayStored
            ? stored + DAY
            : Math.max(since, stored);
        // What the bot had alerted about before these days: a `once` rule stays quiet about it for
        // this file's onceDays. And what responders did to its alerts: one acknowledged takes no
        // more findings.
        const sink = new MemorySink(
          countFrom,
          stores.subjects.alertedBefore(orgId, since),
          (org, rule, seq) => stores.trail.changesOfAlertWith(org, rule, seq),
        );
        // Each event as this file classifies it (its tools, its MCP action keys), stored or not.
        const catalog = catalogFor(stores.eventActions.all(orgId), rules);
        let evaluated = 0;
        let otherwise = 0;
        const progress = replayProgress(orgId, { since, now }, stderr);
        for (const chunk of chunks) {
          const replayed = chunk
            .filter((event) => (event.processedAt ?? event.time) >= since)
            .map((event) => {
              const again = classifiedAgain(event, catalog);
              if (classifiedOtherwise(again, event)) otherwise++;
              return again;
            });
          evaluated += engine.replay(replayed, sink).evaluated;
          progress(evaluated, replayed.at(-1)?.time);
        }
        stdout.write(`${orgId}: ${evaluated} events of the last ${days} day(s) replayed\n`);
        const partial = baselines.partial();
        if (partial) stdout.write(`${partialBaseline(partial)}\n`);
        if (otherwise > 0)
          stdout.write(
            `${counted(otherwise, "of them is", "of them are")} classified otherwise by this rules file (its tools and mcpActionKeys) than as stored: replayed as the file classifies them; \`mcp-activity reclassify\` with this RULES_FILE stores that\n`,
          );
        if (firstDayReplayed && dayStored)
          stdout.write(
            `the first day stored (from ${new Date(stored).toISOString().slice(0, 16)}Z) has no history before it, so everyone and every tool is new to the rules then: it is replayed to teach them, and counted from ${new Date(countFrom).toISOString().slice(0, 16)}Z\n`,
          );
        else if (firstDayReplayed)
          stdout.write(
            "less than a day is stored: everyone and every tool is new to the rules, so first-use and new-tool alerts are counted high; run it again tomorrow\n",
          );
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
        stdout.write(
          "(quieted: kept out of the channel by a suppression, a mute, or a `once` rule that already alerted about its subject; the rest not posted are below minSeverity or in `digest` mode)\n",
        );
        const alerts = sink.posted();
        channel.push({ alerts, countFrom });
        const own = noiseOf(alerts, rules.maxAlertsPerHour, countFrom, now);
        const whose = orgs.length === 1 ? "channel" : "channel, from this organization";
        stdout.write(`${whose}: ${messagesLine(own, rules.maxAlertsPerHour)}\n`);
      }
      if (channel.length > 0) {
        // Counted over the time any organization's messages are counted in.
        const countFrom = Math.min(...channel.map((org) => org.countFrom));
        const all = channel.map((org) => org.alerts);
        const noise = sharedNoiseOf(all, rules.maxAlertsPerHour, countFrom, now);
        if (channel.length > 1)
          stdout.write(
            `channel, the ${channel.length} organizations together: ${messagesIn(noise)}\n`,
          );
        stdout.write(`${verdict(noise)}\n`);
      }
      if (storedOrgs.length === 0) stdout.write(`${NO_EVENTS_YET}\n`);
      else if (orgs.length === 0)
        stdout.write("no events of the organizations of ATLASSIAN_ORG_ID are stored yet\n");
    } finally {
      db.close();
    }
    return 0;
  },
};

function table(rows: Array<Array<string | number>>): string {
  const all = [["rule", "", "alerts", "events", "posted", "quieted"], ...rows].map((row) =>
    row.map(String),
  );
  const widths = all[0]?.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0))) ?? [];
  return `${all.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")).join("\n")}\n`;
}
