import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startApp } from "../app.js";
import { systemClock } from "../clock.js";
import type { Config } from "../config.js";
import { startConsoleChannel } from "../console/channel.js";
import type { ConsoleUser } from "../console/slack-api.js";
import type { Logger } from "../logger.js";
import { stopWithinLimit } from "./lifecycle.js";

export interface ConsoleRunOptions {
  readonly config: Omit<Config, "slack">;
  readonly logger: Logger;
  readonly user: ConsoleUser;
  /** Files Slack would receive are saved in a fresh folder made here. */
  readonly filesIn: string;
  /** Keep that folder when the run ends (else it is removed: the organization's data). */
  readonly keepFiles?: boolean;
  readonly stdout: NodeJS.WritableStream;
  /** Resolves on SIGTERM/SIGINT. */
  readonly signal: Promise<unknown>;
  /** Done once the app has stopped, however its stop ends (cut short by the limit too). */
  readonly atLast?: () => void;
  /** Open the prompt (else the channel is only shown). */
  readonly prompt: boolean;
  /** Printed once the app runs. */
  readonly intro: string;
}

/**
 * Runs the whole app with the console channel in Slack's place, until quit or a signal. The files
 * Slack would have received (digest charts, CSV exports: the organization's data) are removed
 * when it ends.
 */
export async function runWithConsole(o: ConsoleRunOptions): Promise<void> {
  const filesDir = mkdtempSync(join(o.filesIn, "mcp-activity-files-"));
  const removeFiles = () => {
    if (!o.keepFiles) rmSync(filesDir, { recursive: true, force: true });
  };
  const channel = await startConsoleChannel({
    user: o.user,
    input: process.stdin,
    output: o.stdout,
    filesDir,
    ...(o.keepFiles ? { keepFiles: true } : {}),
  });
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp({
      config: { ...o.config, slack: channel.slack },
      logger: o.logger,
      clock: systemClock,
    });
  } catch (error) {
    // A start that fails (a bad rules file, a busy port) must not leave the prompt holding the
    // process open.
    await channel.close();
    removeFiles();
    throw error;
  }
  o.stdout.write(o.intro);
  await Promise.race([o.prompt ? channel.prompt(app.port, app.digestNow) : o.signal, o.signal]);
  o.logger.info("shutting down");
  await stopWithinLimit(
    o.logger,
    async () => {
      await app.stop();
      await channel.close();
    },
    () => {
      try {
        removeFiles();
      } finally {
        o.atLast?.();
      }
    },
  );
}
