#!/usr/bin/env node
import { loadDotEnv, runCli } from "./commands/index.js";

loadDotEnv();
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;
