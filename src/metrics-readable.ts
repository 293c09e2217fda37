import { Gauge, Registry } from "prom-client";
import type { Logger } from "./logger.js";
import { storeProblem } from "./store/errors.js";

/**
 * What a scrape could read from the database. A figure that cannot be read (a lock held past the
 * busy timeout, an I/O error, a damaged file) is left out rather than failing the whole scrape:
 * the process series, which may say what is wrong, still answer. `mcp_activity_database_up` says
 * whether this scrape read everything it reads from the database, from the file the bot opened
 * and still finds at DATABASE_PATH; the log says a failure to read once, until the database is
 * read again, not at every scrape (files replaced are said where they are found: watch-files.ts).
 */
export class ScrapeReadings {
  /** Read after every other metric: the gauge says whether their reads went well. */
  readonly registry = new Registry();
  private failure: unknown;
  private said: string | null = null;
  /** Why the files at DATABASE_PATH are not those the bot opened (deleted, replaced), or null. */
  private files: () => string | null = () => null;

  constructor(private readonly logger?: Logger) {
    const readings = this;
    new Gauge({
      name: "mcp_activity_database_up",
      help: "1 when this scrape read every figure it reads from the database, 0 when the database could not be read (those figures are then left out) or its file is no longer the one the bot opened (deleted or replaced: the bot has stopped, and those figures are read from the file it still has open).",
      registers: [this.registry],
      collect(this: Gauge) {
        this.set(readings.failure === undefined && readings.filesKept() ? 1 : 0);
      },
    });
  }

  watchFiles(problem: () => string | null): void {
    this.files = problem;
  }

  /** Whether the files at DATABASE_PATH are those the bot opened; not when they cannot be told. */
  private filesKept(): boolean {
    try {
      return this.files() === null;
    } catch {
      return false;
    }
  }

  /** `read`, or undefined when it fails: the failure is kept for this scrape's gauge and log. */
  readable<T>(read: () => T): () => T | undefined {
    return () => {
      try {
        return read();
      } catch (error) {
        this.failure ??= error;
        return undefined;
      }
    };
  }

  /** A scrape starts: nothing failed yet. */
  start(): void {
    this.failure = undefined;
  }

  /** A scrape ended: a failure logged when it is new, the recovery when one was logged. */
  end(): void {
    const error = this.failure;
    const problem =
      error === undefined
        ? null
        : (storeProblem(error)?.message ??
          `the database cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    if (problem === this.said) return;
    this.said = problem;
    if (problem === null) this.logger?.info("metrics: the database is read again");
    else
      this.logger?.error(
        { err: error },
        `metrics: ${problem}; /metrics leaves out what is read from it`,
      );
  }
}
