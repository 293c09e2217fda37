import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { type Failure, failureOf } from "../store/errors.js";

/** What every worker says about itself, in one shape: for /healthz, /metrics and `status`. */
export interface WorkerHealth {
  readonly name: string;
  /** The organization it works for; none for the shared ones (the outbox, retention). */
  readonly orgId?: string;
  /** False while its last pass failed. */
  readonly ok: boolean;
  /** When its last pass ended well; null before the first. */
  readonly lastPassAt: number | null;
  /** Its last failure, while it keeps failing (of kind `database`: a problem /healthz shows there). */
  readonly lastError: (Failure & { readonly at: number }) | null;
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
  readonly kind?: Failure["kind"];
}

/**
 * The wait after `every` itself failed (a schedule it could not compute), and the longest after a
 * pass the database failed: /healthz is 503 for it until a pass goes well, so a daily pass must
 * not keep it so for a day after the disk is freed.
 */
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
      return this.retryAfter(this.o.every(this.o.clock.now()));
    } catch (error) {
      const message = (error as Error).message;
      this.lastError = { message, at: this.o.clock.now() };
      this.o.logger.error({ err: error, worker: this.name }, `${this.o.failure}: ${message}`);
      return RETRY_WAIT_MS;
    }
  }

  /** The wait `every` asks for, shortened after a pass the database failed. */
  private retryAfter(every: number): number {
    return this.lastError?.kind === "database" ? Math.min(every, RETRY_WAIT_MS) : every;
  }

  /** When the next pass comes after this one failed, in words, for the failure's log line. */
  private nextPassWords(): string {
    let ms: number;
    try {
      ms = this.retryAfter(this.o.every(this.o.clock.now()));
    } catch {
      ms = RETRY_WAIT_MS;
    }
    const minutes = Math.round(ms / 60_000);
    if (minutes < 1) return "trying again within a minute";
    if (minutes < 120) return `trying again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
    const hours = Math.round(minutes / 60);
    return hours === 24 ? "trying again in a day" : `trying again in ${hours} hours`;
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
      if (isHandledFailure(outcome)) {
        const { failed: message, kind } = outcome;
        this.lastError = { message, at: at(), ...(kind && { kind }) };
      } else {
        if (this.thrown) this.o.logger.info({ worker: this.name }, `${this.name}: works again`);
        this.thrown = false;
        this.lastError = null;
        this.lastPassAt = at();
      }
    } catch (error) {
      const failure = failureOf(error);
      // The same failure pass after pass is said once while it lasts (and its end).
      const again = this.thrown && this.lastError?.message === failure.message;
      this.thrown = true;
      this.lastError = { ...failure, at: at() };
      this.o.logger[again ? "debug" : "error"](
        { err: error, worker: this.name },
        `${this.o.failure}: ${failure.message}; ${this.nextPassWords()}`,
      );
    }
  }
}
