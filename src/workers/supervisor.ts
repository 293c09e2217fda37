import { setMaxListeners } from "node:events";
import type { Worker, WorkerHealth } from "./worker.js";

/**
 * Starts and stops every worker of the process, and says how each is doing: the one source of
 * the `workers` section of /healthz, the worker gauges of /metrics and the problems `status` lists.
 */
export class Supervisor {
  private readonly stopping = new AbortController();
  private running: Promise<unknown> | undefined;

  constructor(private readonly workers: readonly Worker[]) {
    // Every worker waits on this one signal (a sleep, a request): a listener or two each, removed
    // when the wait ends. Node's default of 10 would call a bot's two dozen workers a leak.
    setMaxListeners(Math.max(10, 3 * workers.length), this.stopping.signal);
  }

  start(): void {
    this.running ??= Promise.all(this.workers.map((w) => w.run(this.stopping.signal)));
  }

  /** Tells every worker to stop, and waits for the work they were doing to finish. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  health(): WorkerHealth[] {
    return this.workers.map((w) => w.health());
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
