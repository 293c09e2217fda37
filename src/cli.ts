#!/usr/bin/env node
import { finishesWithoutReader, loadDotEnv, runCli } from "./commands/index.js";

const argv = process.argv.slice(2);

// Output piped into a reader that stops early (`| head`) ends the command quietly, as Unix tools
// do; but a command whose lines only report work it must not leave half-done goes on to the end.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  if (!finishesWithoutReader(argv[0])) process.exit(process.exitCode ?? 0);
});
// Progress and notes on stderr whose reader is gone (`2>&1 | head`, a log reader that stopped)
// are lost, and the work goes on.
process.stderr.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

// Before runCli: every command, --help included, reads ./.env first.
const unreadable = loadDotEnv();
if (unreadable === undefined) {
  const code = await runCli(argv, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
  process.exitCode = code;
} else {
  process.stderr.write(`mcp-activity: ${unreadable}\n`);
  process.exitCode = 2;
}
