import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { type Failure, failureOf } from "../store/errors.js";

/** The rules' last failure, while they keep failing: for /healthz and `status`. */
export type RulesFailure = Failure & { readonly at: number };

/** The rules' failure as `status` and the poller's worker tell it. */
export function rulesProblem(failure: Failure): string {
  return `the rules cannot run: ${failure.message}`;
}

/**
 * What the rules say when they fail. They run after every commit, every page of a backfill, and
 * while they fail after every poll too (see createPoller): a failure that lasts (a full disk, an event that breaks them) is said once, and its end, as the
 * poller and the workers do; each run it fails again is at debug.
 */
export class RulesFailures {
  private last: RulesFailure | null = null;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  failed(error: unknown): void {
    const failure = failureOf(error);
    const again = this.last?.message === failure.message;
    this.last = { ...failure, at: this.clock.now() };
    const line = `the rules could not run: ${failure.message}; they retry after the next commit or poll`;
    if (again) this.log.debug(line);
    // A database problem is said in its words, with what to do; anything else with its stack.
    else this.log.error(failure.kind === "database" ? {} : { err: error }, line);
  }

  ran(): void {
    if (this.last !== null) this.log.info("the rules run again");
    this.last = null;
  }

  current(): RulesFailure | null {
    return this.last;
  }
}
