#!/usr/bin/env node
import { loadDotEnv, runCli } from "./commands/index.js";

// Output piped into a reader that stops early (`| head`) ends the command quietly, as Unix tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

// Before runCli: every command, --help included, reads ./.env first.
const unreadable = loadDotEnv();
if (unreadable === undefined) {
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
  process.exitCode = code;
} else {
  process.stderr.write(`mcp-activity: ${unreadable}\n`);
  process.exitCode = 2;
}
