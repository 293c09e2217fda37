import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { parseArgs, parseEnv } from "node:util";
import { mistypedVariables } from "../config-typos.js";
import { AppError, ConfigError, ReleaseMismatchError, UsageError } from "../errors.js";
import { nearest } from "../nearest.js";
import { storeProblem } from "../store/errors.js";
import { quotedVisibly, spelledOut } from "../terminal-text.js";
import { isUtf16, SAVED_AS_UTF16 } from "../utf16.js";
import { VERSION } from "../version.js";
import type { Command, CommandContext } from "./command.js";

/**
 * Each command's module, loaded when that command runs: `poll --once` or `query` from a shell
 * does not load the Slack app, the metrics and the chart renderer that only `start` needs.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  start: async () => (await import("./start.js")).startCommand,
  demo: async () => (await import("./demo.js")).demoCommand,
  migrate: async () => (await import("./migrate.js")).migrateCommand,
  poll: async () => (await import("./poll.js")).pollCommand,
  digest: async () => (await import("./digest.js")).digestCommand,
  query: async () => (await import("./query.js")).queryCommand,
  export: async () => (await import("./export.js")).exportCommand,
  reclassify: async () => (await import("./reclassify.js")).reclassifyCommand,
  tools: async () => (await import("./tools.js")).toolsCommand,
  rules: async () => (await import("./rules.js")).rulesCommand,
  simulate: async () => (await import("./simulate.js")).simulateCommand,
  backup: async () => (await import("./backup.js")).backupCommand,
};
const NAMES = Object.keys(COMMANDS);

/**
 * The commands whose stdout only reports work they must not leave half-done (a reclassify cut
 * short leaves stored events classified partly as before; a poll of several organizations, the
 * ones after the first not read): they finish it when its reader is gone.
 */
const WORK_OUTLASTS_OUTPUT: ReadonlySet<string> = new Set(["reclassify", "poll"]);

/** Whether the command of this name finishes its work when its stdout's reader is gone. */
export function finishesWithoutReader(name: string | undefined): boolean {
  return name !== undefined && WORK_OUTLASTS_OUTPUT.has(name);
}

/** The command of this name, loaded; undefined for a name that is none. */
function commandNamed(name: string): Promise<Command> | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name]?.() : undefined;
}

async function usage(): Promise<string> {
  const commands = await Promise.all(NAMES.map((name) => commandNamed(name) as Promise<Command>));
  const width = Math.max(...NAMES.map((name) => name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: mcp-activity <command> [options]

Watch what AI tools do in your Atlassian organization through the Rovo MCP server.

Commands:
${lines.join("\n")}

Options:
  -h, --help     show help (also: mcp-activity <command> --help)
  -v, --version  show the version

Configuration comes from the environment and ./.env; see docs/configuration.md.
`;
}

function parse(command: Command, argv: readonly string[]) {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.positionals !== undefined,
      strict: true,
    });
    const count = parsed.positionals.length;
    if (
      parsed.values.help !== true &&
      command.positionals &&
      (count < command.positionals.min || count > command.positionals.max)
    ) {
      throw new UsageError(
        `${command.name} takes ${command.positionals.min === command.positionals.max ? command.positionals.min : `${command.positionals.min} to ${command.positionals.max}`} argument(s), got ${count}`,
      );
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(parseProblem(command, error as Error & { code?: string }));
  }
}

/**
 * What parseArgs found wrong, in this tool's words: an unknown option with the nearest known one
 * (parseArgs adds advice about `--` that does not apply here).
 */
function parseProblem(command: Command, error: Error & { code?: string }): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (error.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || unknown === undefined)
    return spelledOut(error.message);
  const known = [...Object.keys(command.options), "help"].map((o) => `--${o}`);
  const guess = nearest(unknown, known);
  return `unknown option ${quotedVisibly(unknown)}${guess ? ` (did you mean "${guess}"?)` : ""}`;
}

/** Says a command is unknown, with the nearest known one and the usage; the exit code. */
async function unknownCommand(name: string, context: CommandContext): Promise<number> {
  const guess = nearest(name, NAMES);
  context.stderr.write(
    `mcp-activity: unknown command ${quotedVisibly(name)}${guess ? ` (did you mean "${guess}"?)` : ""}\n\n${await usage()}`,
  );
  return 2;
}

/**
 * Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad usage or configuration, or a
 * database or migrations folder this release cannot run on).
 */
export async function runCli(argv: readonly string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    context.stderr.write(await usage());
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    // `help start` is `start --help`; `help strat` is an unknown command; `help help` is help.
    const topic = name === "help" ? rest[0] : undefined;
    if (topic === undefined || topic === "help") {
      context.stdout.write(await usage());
      return 0;
    }
    const asked = commandNamed(topic);
    if (!asked) return unknownCommand(topic, context);
    context.stdout.write(`${(await asked).help}\n`);
    return 0;
  }
  if (name === "--version" || name === "-v") {
    context.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const loading = commandNamed(name);
  if (!loading) return unknownCommand(name, context);
  const command = await loading;
  for (const typo of mistypedVariables(context.env))
    context.stderr.write(`mcp-activity: ${typo}\n`);
  try {
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
      context.stdout.write(`${command.help}\n`);
      return 0;
    }
    return await command.run({ values, positionals }, context);
  } catch (error) {
    // What a message says back of the command line (a FILE, a value) is spelled out: an escape
    // sequence in a path shows, it does not clear the screen.
    if (error instanceof UsageError) {
      context.stderr.write(
        `mcp-activity ${command.name}: ${spelledOut(error.message)}\n\n${command.help}\n`,
      );
      return 2;
    }
    if (error instanceof ConfigError) {
      context.stderr.write(`mcp-activity: ${spelledOut(error.message)}\n${error.see}\n`);
      return 2;
    }
    // A full disk, a locked or read-only file: what to do, in one line.
    const problem = error instanceof AppError ? error : storeProblem(error);
    if (problem) {
      context.stderr.write(`mcp-activity ${command.name}: ${spelledOut(problem.message)}\n`);
      // Another release or a backup fixes it, never a restart.
      return error instanceof ReleaseMismatchError ? 2 : 1;
    }
    throw error;
  }
}

/**
 * Reads ./.env into the environment when it is a file; variables already set win, but not blank
 * ones: unset and blank are the same to the configuration (`present`). A folder there
 * (what Docker makes of a bind-mounted file that does not exist) is not read. A byte-order mark
 * (an editor's "UTF-8 with BOM") is dropped: Node's parser would take it into the first name.
 * Returns why a .env that is there cannot be read, UTF-16 included.
 */
export function loadDotEnv(): string | undefined {
  try {
    if (!existsSync(".env") || !statSync(".env").isFile()) return undefined;
    accessSync(".env", constants.R_OK);
    const bytes = readFileSync(".env");
    // Read as UTF-8 it parses to no variable at all, and every command would go on with none.
    if (isUtf16(bytes)) return `./.env ${SAVED_AS_UTF16}`;
    const variables = parseEnv(bytes.toString("utf8").replace(/^\uFEFF/, ""));
    for (const [name, value] of Object.entries(variables))
      if (!process.env[name]?.trim() && value !== undefined) process.env[name] = value;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return `./.env cannot be read (${code}): make it readable by this user, or remove it`;
  }
}
