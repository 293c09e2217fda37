import { parseStoreConfig } from "../config.js";
import { AppError, UsageError } from "../errors.js";
import { alertRecord, eventRecord, line } from "../export/records.js";
import { withoutAddress } from "../export/without-address.js";
import { toolCatalogue } from "../ingest/tools.js";
import { loadRulesFile, rulesFileAt } from "../load-rules.js";
import { parseMoment } from "../query/time.js";
import { openCommandStore } from "../store/open.js";
import { repositories } from "../store/repositories.js";
import { quotedVisibly } from "../terminal-text.js";
import { isoOrNull } from "../time-units.js";
import { otherThanBot, rulesSetting, rulesWords } from "./bot-rules-file.js";
import type { Command } from "./command.js";
import { commandZone, zonedMoment } from "./command-zone.js";
import { drained } from "./drain.js";
import { orgOption, storedOrgOption } from "./options.js";
import { prunedLine } from "./pruned-line.js";

/** A progress line on stderr every this many records. */
const PROGRESS_EVERY = 50_000;

export const exportCommand: Command = {
  name: "export",
  summary: "write MCP events and alert changes as NDJSON, the records the SIEM export sends",
  help: `Usage: mcp-activity export [--since 7d] [--org ID]
       mcp-activity export --resume

Writes to stdout the records the SIEM export (EXPORT_URL) sends: one JSON line per MCP event
stored, then one per alert change, for each organization, oldest first. For files and object-store
pipelines; progress and errors go to stderr. See docs/export.md.

  mcp-activity export --since 7d > mcp-week.ndjson
  mcp-activity export --since 2025-01-01 --org <org id> | gzip > mcp.ndjson.gz

Options:
  --since WHEN  from when (event and change times): 7d, 12h, 2w, today, 2025-01-31 or an ISO
                date-time (default: 7d); a date or today in the shell's time zone (TZ)
  --org ID      one organization (default: every one stored)
  --resume      let a stopped export (a refusal of the receiver, see /healthz) go on, and exit`,
  options: { since: { type: "string" }, org: { type: "string" }, resume: { type: "boolean" } },
  async run({ values }, { env, stdout, stderr }) {
    const writeOnly = ["org", "since"].filter((o) => values[o] !== undefined);
    if (values.resume === true && writeOnly.length > 0)
      throw new UsageError(
        `--${writeOnly[0]} goes with an export to stdout: --resume lets the stopped SIEM export of every organization go on, and writes nothing`,
      );
    const config = parseStoreConfig(env);
    const now = Date.now();
    // A date or `today` is read in the shell's time zone (TZ); the final line says which.
    const zone = commandZone(env.TZ, Intl.DateTimeFormat().resolvedOptions().timeZone);
    const sinceText = typeof values.since === "string" ? values.since : "7d";
    const parsed = parseMoment(sinceText, false, now, zone.zone);
    if (!parsed.ok)
      throw new UsageError(
        `--since ${quotedVisibly(sinceText)} is not a time: give a duration such as 7d or 12h, a date such as 2025-01-31, or an ISO date-time`,
      );
    const since = parsed.moment.time;
    const sinceWords =
      parsed.moment.day === undefined ? new Date(since).toISOString() : zonedMoment(since, zone);
    const db = openCommandStore(config.databasePath, {
      existing: true,
      beforeUpgrade: () => loadRulesFile(config.rulesFile),
    });
    const {
      export: store,
      pollStates,
      prunedBefore,
      classifiedWith,
      unfilledCalls,
    } = repositories(db);
    try {
      if (values.resume === true) {
        const stop = store.stopped();
        store.resume();
        // A stop kept by an earlier release may quote EXPORT_URL's path, where a token may be.
        const url = env.EXPORT_URL;
        const reason =
          stop && url && URL.canParse(url) ? withoutAddress(stop.reason, url) : stop?.reason;
        stderr.write(
          stop
            ? `export resumed (stopped since ${isoOrNull(stop.at)}: ${reason}); the running bot sends again within seconds\n`
            : "the export was not stopped\n",
        );
        return 0;
      }
      const org = orgOption(values.org);
      const orgs = org === undefined ? store.orgs() : [storedOrgOption(org, store.orgs())];
      // Calls stored before their operation had a column are read as the bot reads them: with
      // its rules file's tools, until it has stored them (its polls after the upgrade do).
      const applied = rulesFileAt(config.rulesFile).rulesFile;
      const other = otherThanBot(classifiedWith.get(), applied);
      if (other && orgs.some((orgId) => unfilledCalls.any(orgId)))
        throw new AppError(
          "EXPORT_RULES",
          `the bot reads the MCP calls stored before the upgrade with ${other.said}, this export with ${rulesWords(applied)}: some would be written otherwise than the bot stores them. Run it with ${rulesSetting(other.rulesFile)}, or once the bot has stored them (its polls after the upgrade do)`,
        );
      const tools = toolCatalogue(loadRulesFile(config.rulesFile).tools);
      let events = 0;
      let alerts = 0;
      const write = async (text: string) => {
        if (!stdout.write(text)) await drained(stdout);
        if ((events + alerts) % PROGRESS_EVERY === 0)
          stderr.write(`export: ${events + alerts} records written\n`);
      };
      for (const orgId of orgs) {
        for (const e of store.eventsSince(orgId, since, tools)) {
          events += 1;
          await write(line(eventRecord(e)));
        }
        for (const c of store.changesSince(orgId, since)) {
          alerts += 1;
          await write(line(alertRecord(c)));
        }
      }
      stderr.write(
        `export: ${events} MCP events and ${alerts} alert changes since ${sinceWords}` +
          `${orgs.length === 1 ? ` (${orgs[0]})` : ` (${orgs.length} organizations)`}\n`,
      );
      // What the records leave out, said as a query says it.
      for (const orgId of orgs) {
        const org = orgs.length === 1 ? "" : ` (${orgId})`;
        if (pollStates.midBackfill(orgId))
          stderr.write(
            `export: the bot's first poll is still reading the audit log's history${org}: these records are not all of it yet\n`,
          );
        const cut = prunedBefore.within(orgId, since);
        if (cut !== undefined) stderr.write(`export: ${prunedLine(cut)}${org}\n`);
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
