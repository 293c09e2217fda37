import type { Logger } from "../logger.js";

export const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * Resolves on the first SIGTERM or SIGINT; listening starts at once, before any work. `stopping`
 * aborts in the signal's listener itself, before anything awaiting the promise runs.
 */
export function shutdownSignal(stopping?: AbortController): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      stopping?.abort();
      resolve(signal);
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}

/** Runs `stop`; a shutdown that hangs past 10 s ends the process with exit 1. */
export async function stopWithinLimit(
  logger: Logger,
  stop: () => Promise<void>,
  /** Done however the stop ends: in time, failing, or cut short by the limit. */
  atLast: () => void = () => undefined,
): Promise<void> {
  const last = () => {
    try {
      atLast();
    } catch (error) {
      logger.warn({ err: error }, "could not finish cleaning up after the stop");
    }
  };
  const limit = setTimeout(() => {
    logger.error("shutdown took longer than 10 s; exiting anyway");
    last();
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS);
  limit.unref();
  try {
    await stop();
  } finally {
    clearTimeout(limit);
    last();
  }
}
