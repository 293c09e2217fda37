import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";

/** What every worker says about itself, in one shape: for /healthz, /metrics and `status`. */
export interface WorkerHealth {
  readonly name: string;
  /** The organization it works for; none for the shared ones (the outbox, retention). */
  readonly orgId?: string;
  /** False while its last pass failed. */
  readonly ok: boolean;
  /** When its last pass ended well; null before the first. */
  readonly lastPassAt: number | null;
  /** Its last failure, while it keeps failing. */
  readonly lastError: { readonly message: string; readonly at: number } | null;
}

/** A named piece of background work: it runs until the signal aborts and says how it is doing. */
export interface Worker {
  readonly name: string;
  readonly orgId?: string;
  run(signal: AbortSignal): Promise<void>;
  health(): WorkerHealth;
}

/** What a pass that handled its own failure returns, so that the loop knows it failed, and why. */
export interface HandledFailure {
  readonly failed: string;
}

/** The wait after `every` itself failed (a schedule it could not compute). */
const RETRY_WAIT_MS = 5 * 60_000;

const isHandledFailure = (value: unknown): value is HandledFailure =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as HandledFailure).failed === "string";

export interface LoopOptions {
  readonly name: string;
  readonly orgId?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** One pass of work. A throw is logged with `failure` and kept for health; the next pass runs anyway. */
  readonly pass: (signal: AbortSignal) => unknown;
  /** How long to wait after a pass, from its end (and before the first one with `waitFirst`). */
  readonly every: (now: number) => number;
  /** Runs once before the first pass (catching up on what was missed while down). */
  readonly before?: () => Promise<void> | void;
  readonly waitFirst?: boolean;
  /** What the log says when a pass throws, before the error's message. */
  readonly failure: string;
}

/**
 * The one loop of the background work: a pass, then a wait on the injected clock, until the
 * signal aborts. It never throws, and keeps the outcome of its last pass for health.
 */
export class Loop implements Worker {
  readonly name: string;
  readonly orgId?: string;
  private lastPassAt: number | null = null;
  private lastError: WorkerHealth["lastError"] = null;
  /** Whether the last pass threw (its failure is logged; the next success says it is over). */
  private thrown = false;

  constructor(private readonly o: LoopOptions) {
    this.name = o.name;
    if (o.orgId !== undefined) this.orgId = o.orgId;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.o;
    await this.attempt(async () => {
      await this.o.before?.();
    });
    if (this.o.waitFirst) await clock.sleep(this.wait(), signal);
    while (!signal.aborted) {
      await this.attempt(() => this.o.pass(signal));
      await clock.sleep(this.wait(), signal);
    }
  }

  /** How long to wait, from `every`; a throw there is a failure like a pass's, tried again later. */
  private wait(): number {
    try {
      return this.o.every(this.o.clock.now());
    } catch (error) {
      const message = (error as Error).message;
      this.lastError = { message, at: this.o.clock.now() };
      this.o.logger.error({ err: error, worker: this.name }, `${this.o.failure}: ${message}`);
      return RETRY_WAIT_MS;
    }
  }

  health(): WorkerHealth {
    return {
      name: this.name,
      ...(this.orgId !== undefined ? { orgId: this.orgId } : {}),
      ok: this.lastError === null,
      lastPassAt: this.lastPassAt,
      lastError: this.lastError,
    };
  }

  private async attempt(work: () => unknown): Promise<void> {
    const at = () => this.o.clock.now();
    try {
      const outcome = await work();
      if (isHandledFailure(outcome)) this.lastError = { message: outcome.failed, at: at() };
      else {
        if (this.thrown) this.o.logger.info({ worker: this.name }, `${this.name}: works again`);
        this.thrown = false;
        this.lastError = null;
        this.lastPassAt = at();
      }
    } catch (error) {
      const message = (error as Error).message;
      // The same failure pass after pass is said once while it lasts (and its end).
      const again = this.thrown && this.lastError?.message === message;
      this.thrown = true;
      this.lastError = { message, at: at() };
      this.o.logger[again ? "debug" : "error"](
        { err: error, worker: this.name },
        `${this.o.failure}: ${message}`,
      );
    }
  }
}
