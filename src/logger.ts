import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger } from "pino";
import type PinoPretty from "pino-pretty";

export type { Logger };

/** Keys that hold credentials wherever they appear in a log record. */
const REDACT = [
  "apiKey",
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "authorization",
  "*.apiKey",
  "*.token",
  "*.botToken",
  "*.appToken",
  "*.signingSecret",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
];

export interface LoggerOptions {
  level: string;
  format: "json" | "pretty";
  /** Where lines go; stdout by default. Tests pass a stream and read what was written. */
  destination?: DestinationStream;
  /** Without a destination: 1 (stdout, for the service) or 2 (stderr, for commands that print results). */
  fd?: 1 | 2;
  /** Without a destination: a file to append to instead of a descriptor. */
  file?: string;
}

/** The one root logger; components take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: "mcp-activity" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.format === "pretty") {
    // Loaded only here: some 30 modules that JSON lines, the service's format, never need.
    const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
    // Where the JSON lines would go: a command's log stays off the stdout its results use.
    const fd = options.fd ?? 1;
    return pino(
      base,
      pretty({
        sync: true,
        colorize: options.file === undefined && (fd === 2 ? process.stderr : process.stdout).isTTY,
        destination: options.destination ?? options.file ?? fd,
        ...(options.file ? { mkdir: true, append: true } : {}),
      }),
    );
  }
  return pino(
    base,
    options.destination ??
      pino.destination(
        options.file
          ? { dest: options.file, sync: true, mkdir: true }
          : { fd: options.fd ?? 1, sync: true },
      ),
  );
}
