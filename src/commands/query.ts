import { parseStoreConfig } from "../config.js";
import { calledTool, TOOL_CLASSES } from "../domain/event.js";
import { UsageError } from "../errors.js";
import { loadRulesFile } from "../load-rules.js";
import { oneLine } from "../one-line.js";
import { adminActNote } from "../query/admin-rules.js";
import { csvLines } from "../query/csv.js";
import { handedOverWords } from "../query/handed-over-words.js";
import { describeQuery, parseQuery } from "../query/parse.js";
import { peopleMeant } from "../query/people-meant.js";
import { runActivity, toFilter, unknownName } from "../query/run.js";
import { subcommandMeant } from "../query/subcommand.js";
import type { Query } from "../query/types.js";
import { unseenValue } from "../query/unseen-values.js";
import type { ActivityStore } from "../store/activity.js";
import { openCommandStore } from "../store/open.js";
import { repositories } from "../store/repositories.js";
import { forTerminal, quotedVisibly, spelledOut, withoutControls } from "../terminal-text.js";
import { activityCounts } from "../words.js";
import type { Command } from "./command.js";
import { commandZone } from "./command-zone.js";
import { drained } from "./drain.js";
import { NO_EVENTS_YET, orgOption, storedOrgOption } from "./options.js";
import { prunedLine } from "./pruned-line.js";
import { asTerm, jsonAnswer, table, windowLine } from "./query-output.js";

/** Said while the organization's first poll is still reading the audit log's history. */
const BACKFILLING =
  "the bot's first poll is still reading the audit log's history, so this is not all of it yet: ask again once the backfill is done (`/mcp-activity status` shows its progress)";

export const queryCommand: Command = {
  name: "query",
  summary: "ask what AI tools did, as /mcp-activity does, from the command line",
  help: `Usage: mcp-activity query "<query>" [--json] [--org ID]

Runs the /mcp-activity query language over the database (no Slack, no access check: it is the
operator's tool). Prints a summary and the latest matching events as a table, the whole answer as
JSON with --json, or every matching event as CSV with format:csv in the query. Dates and
"today" are read in the shell's time zone (TZ); the line after the query (stderr with format:csv,
"window" in --json) says the window they resolved to; times printed are UTC.

Examples:
  mcp-activity query "user:alice@example.com since:7d"
  mcp-activity query "class:write,destructive site:acme.atlassian.net" --json
  mcp-activity query "auth:api-token since:30d format:csv" > tokens.csv

Options:
  --json      print the whole answer as JSON (not with format:csv); with no events stored yet,
              an answer of zeros whose "note" says so
  --org ID    the organization, also org:ID in the query (both: the same one; default: the
              only one stored)`,
  options: { json: { type: "boolean" }, org: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, { env, stdout, stderr }) {
    const word = (positionals[0] ?? "").trim().toLowerCase();
    if (word === "help") {
      stdout.write(`${queryCommand.help}\n`);
      return 0;
    }
    const [name = ""] = (subcommandMeant(word) ?? word).split(" ");
    if (name === "help")
      throw new UsageError(
        `${quotedVisibly(word)} is no query: did you mean mcp-activity query help? (To search for the word, put it in quotes inside the query: '${quotedVisibly(word)}'.)`,
      );
    if (name === "status" || name === "settings")
      throw new UsageError(
        `${quotedVisibly(word)} answers in Slack (/mcp-activity ${name})${name === "status" ? "; here, GET /healthz says how the bot is" : ""}: this command asks about activity, e.g. "since:1d class:write"`,
      );
    const config = parseStoreConfig(env);
    // Dates and `today` are read in the shell's time zone (TZ); the window line says which.
    const zone = commandZone(env.TZ, Intl.DateTimeFormat().resolvedOptions().timeZone);
    const timeZone = zone.zone;
    const now = Date.now();
    const parsed = parseQuery(positionals[0] ?? "", { now, timeZone });
    if (!parsed.ok) {
      const { message, suggestion, examples } = parsed.error;
      throw new UsageError(
        `${message}${suggestion ? ` (${suggestion})` : ""}; for example: ${examples.map((e) => `"${e}"`).join(" or ")}`,
      );
    }
    const query = parsed.query;
    if (query.users.some((u) => u.kind !== "text"))
      throw new UsageError(
        "user:me and Slack mentions work only in Slack: give a name, e-mail or account id",
      );
    if (query.format === "csv" && values.json === true)
      throw new UsageError(
        "format:csv and --json do not combine: format:csv prints every matching event as CSV, --json the answer as JSON",
      );
    const flag = orgOption(values.org);
    if (flag !== undefined && query.org !== undefined && flag !== query.org)
      throw new UsageError(
        `--org ${spelledOut(flag.slice(0, 80))} and org:${spelledOut(query.org.slice(0, 80))} name two organizations: give one`,
      );
    const names = query.users.flatMap((u) => (u.kind === "text" ? [u.value] : []));
    const db = openCommandStore(config.databasePath, {
      existing: true,
      beforeUpgrade: () => loadRulesFile(config.rulesFile),
    });
    const stores = repositories(db);
    try {
      const orgs = stores.events.orgs();
      const given = flag ?? query.org;
      if (orgs.length === 0 && values.json === true) {
        // A script reads JSON: the empty store's answer, zero of everything, and why (also when
        // it names its organization, whose first poll has not stored anything yet).
        stderr.write(`${NO_EVENTS_YET}\n`);
        const result = await runActivity(
          stores.activity,
          toFilter(query, stores.activity, names, given ?? ""),
          query.limit,
        );
        stdout.write(
          jsonAnswer(query, given ?? null, false, undefined, result, timeZone, NO_EVENTS_YET),
        );
        return 0;
      }
      const chosen = given === undefined ? undefined : storedOrgOption(given, orgs);
      const orgId = chosen ?? orgs[0];
      if (!orgId || (chosen === undefined && orgs.length > 1)) {
        stderr.write(
          orgs.length === 0
            ? `${NO_EVENTS_YET}\n`
            : `several organizations are stored (${orgs.join(", ")}): choose one with --org or org:\n`,
        );
        return orgs.length === 0 ? 0 : 2;
      }
      const store = stores.activity;
      const meant = peopleMeant(store, orgId, names, now);
      const { unclear } = meant;
      if (unclear) {
        const people = unclear.people.map((p) =>
          oneLine(`  ${p.name || "?"} ${p.email ? `<${p.email}> ` : ""}(account ${p.id})`),
        );
        stderr.write(
          forTerminal(
            `user:${unclear.name} may be any of these people; ask again with the e-mail (or account id) of the one you mean:\n${people.join("\n")}\n`,
          ),
        );
        return 2;
      }
      const unknown = unknownName(store, orgId, names);
      if (unknown) {
        const hint =
          unknown.nearest === undefined ? "" : `; did you mean ${asTerm("user", unknown.nearest)}?`;
        stderr.write(
          forTerminal(`no MCP calls by ${asTerm("user", unknown.name)} are stored${hint}\n`),
        );
      }
      const plain = { code: oneLine, text: oneLine };
      for (const h of meant.handedOver) stderr.write(`${forTerminal(handedOverWords(h, plain))}\n`);
      const filter = toFilter(query, store, meant.names, orgId);
      // As in Slack: while the first poll reads the history, no answer is whole yet.
      const partial = stores.pollStates.midBackfill(orgId);
      if (partial) stderr.write(`${BACKFILLING}\n`);
      const prunedBefore = stores.prunedBefore.within(orgId, query.since);
      if (prunedBefore !== undefined) stderr.write(`${prunedLine(prunedBefore)}\n`);
      if (query.format === "csv") {
        stderr.write(`${windowLine(query, zone)}\n`);
        // A large export waits for the pipe (a slow reader, `| head`) instead of filling memory.
        let lines = 0;
        for (const line of csvLines(store.csvRows(filter))) {
          lines++;
          const safe = line.endsWith("\r\n")
            ? `${withoutControls(line.slice(0, -2))}\r\n`
            : withoutControls(line);
          if (!stdout.write(safe)) await drained(stdout);
        }
        if (lines <= 1) stderr.write(unseenLine(store, orgId, query)); // the header alone
        return 0;
      }
      const result = await runActivity(store, filter, query.limit);
      if (result.summary.calls === 0) {
        const admin = adminActNote(query);
        stderr.write(unseenLine(store, orgId, query) || (admin ? `${admin}\n` : ""));
      }
      if (values.json === true) {
        stdout.write(jsonAnswer(query, orgId, partial, prunedBefore, result, timeZone));
        return 0;
      }
      const s = result.summary;
      stdout.write(
        `${describeQuery(query)}\n${windowLine(query, zone)}\n${activityCounts(s)}   ${result.sparkline}\n`,
      );
      stdout.write(
        `split: ${split(s.byClass, [...TOOL_CLASSES, "unknown"])}; auth: ${split(s.byAuth, ["oauth", "api-token", "unknown"])}\n\n`,
      );
      // As in Slack: the open alerts about the people asked about, also when none of their calls
      // is in the window.
      const { alerts, total } = result.openAlerts;
      if (total > 0) {
        const lines = alerts.map((a) => `  #${a.id} ${a.severity} · ${oneLine(a.title)}`);
        if (total > alerts.length) lines.push(`  …and ${total - alerts.length} older open alerts`);
        stdout.write(forTerminal(`open alerts about them:\n${lines.join("\n")}\n\n`));
      }
      const rows = result.latest.map((e) => [
        new Date(e.time).toISOString().slice(0, 19).replace("T", " "),
        e.userEmail ?? e.userName ?? "",
        calledTool(e) ?? e.action,
        e.toolClass === null ? "" : `${e.toolClass}${e.toolGuessed ? " (guessed)" : ""}`,
        e.resource ?? "",
        e.siteHost ?? "",
        e.authKind,
      ]);
      stdout.write(
        forTerminal(
          table(["time (UTC)", "user", "tool", "class", "resource", "site", "auth"], rows),
        ),
      );
      return 0;
    } finally {
      db.close();
    }
  },
};

/** As in Slack: the counts in a fixed order (read before write…), those of none left out. */
function split(counts: Readonly<Record<string, number>>, order: readonly string[]): string {
  return (
    order
      .filter((key) => (counts[key] ?? 0) > 0)
      .map((key) => `${key} ${counts[key]}`)
      .join(", ") || "—"
  );
}

/**
 * As in Slack: an empty answer that names a `tool:` or `site:` no stored call had says so, with
 * the nearest stored value (a typo would otherwise read as "nobody used it"); "" otherwise.
 */
function unseenLine(
  store: Pick<ActivityStore, "valuesSeen">,
  orgId: string,
  query: Pick<Query, "tools" | "sites">,
): string {
  const unseen = unseenValue(store, orgId, query);
  if (unseen === undefined) return "";
  const { key, value, nearest } = unseen;
  const term = (v: string) => asTerm(key, v);
  const hint =
    nearest !== undefined
      ? `did you mean ${term(nearest)}?`
      : key === "tool"
        ? "a tool is named exactly, like tool:createJiraIssue"
        : "a site is named by its host, like site:acme.atlassian.net";
  return forTerminal(`no stored MCP call has ${term(value)}; ${hint}\n`);
}
