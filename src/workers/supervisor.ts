import { setMaxListeners } from "node:events";
import type { Clock } from "../clock.js";
import type { Failure } from "../store/errors.js";
import type { Worker, WorkerHealth } from "./worker.js";

type Stopped = NonNullable<WorkerHealth["lastError"]>;

/**
 * Starts and stops every worker of the process, and says how each is doing: the one source of
 * the `workers` section of /healthz, the worker gauges of /metrics and the problems `status` lists.
 */
export class Supervisor {
  private readonly stopping = new AbortController();
  private running: Promise<unknown> | undefined;
  /** Why every worker was stopped while the process stays up (see halt); null: they were not. */
  private halted: Stopped | null = null;
  /** Workers whose run ended though no stop was asked: nothing runs them until a restart. */
  private readonly ended = new Map<Worker, Stopped>();

  constructor(
    private readonly workers: readonly Worker[],
    private readonly clock: Pick<Clock, "now">,
  ) {
    // Every worker waits on this one signal (a sleep, a request): a listener or two each, removed
    // when the wait ends. Node's default of 10 would call a bot's two dozen workers a leak.
    setMaxListeners(Math.max(10, 3 * workers.length), this.stopping.signal);
  }

  start(): void {
    this.running ??= Promise.all(this.workers.map((w) => this.run(w)));
  }

  private async run(w: Worker): Promise<void> {
    await w.run(this.stopping.signal);
    if (!this.stopping.signal.aborted)
      this.ended.set(w, { message: "it stopped: restart the bot", at: this.clock.now() });
  }

  /** Tells every worker to stop, and waits for the work they were doing to finish. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /**
   * Stops every worker for good while the process stays up (to be restarted by the operator):
   * from now on each is failing, for `failure`.
   */
  async halt(failure: Failure): Promise<void> {
    this.halted ??= { ...failure, at: this.clock.now() };
    await this.stop();
  }

  /** Each worker's own health, but failing once nothing runs it any more (a halt, its end). */
  health(): WorkerHealth[] {
    return this.workers.map((w) => {
      const stopped = this.halted ?? this.ended.get(w);
      return stopped ? { ...w.health(), ok: false, lastError: stopped } : w.health();
    });
  }

  /** One line per worker whose last pass failed (but those named in `skip`), for `status`. */
  problems(skip: readonly string[] = []): string[] {
    return this.health()
      .filter((h) => !h.ok && !skip.includes(h.name))
      .map(
        (h) =>
          `${h.name}${h.orgId === undefined ? "" : ` (${h.orgId})`}: ${h.lastError?.message ?? "failing"}`,
      );
  }
}
