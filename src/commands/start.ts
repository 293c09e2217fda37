import { startApp } from "../app.js";
import { systemClock } from "../clock.js";
import { parseConfig } from "../config.js";
import { createLogger } from "../logger.js";
import type { Command } from "./command.js";

const SHUTDOWN_LIMIT_MS = 10_000;

/** Resolves on the first SIGTERM or SIGINT; listening starts at once, before any work. */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
}

export const startCommand: Command = {
  name: "start",
  summary: "run the bot: poll the audit log, alert, answer Slack",
  help: `Usage: mcp-activity start

Reads the configuration from the environment (and ./.env when present), migrates the database,
and runs until SIGTERM or SIGINT. GET /healthz on PORT answers its state.`,
  options: {},
  async run(_args, { env }) {
    const signal = shutdownSignal();
    const config = parseConfig(env);
    const logger = createLogger({ level: config.logLevel, format: config.logFormat });
    const app = await startApp({ config, logger, clock: systemClock });

    logger.info({ signal: await signal }, "shutting down");
    const limit = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    limit.unref();
    await app.stop();
    logger.info("stopped");
    return 0;
  },
};
