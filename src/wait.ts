/**
 * The longest the app waits for anything an outside service asks for (a Retry-After, a rate-limit
 * reset): a wait asked for longer is cut to this and logged. Node's timers also turn a delay over
 * 2^31−1 ms into 1 ms, which would make a "wait 25 days" a busy loop.
 */
export const MAX_WAIT_MS = 15 * 60_000;

/** `ms` within 0 and MAX_WAIT_MS, and whether it had to be cut. */
export function capWait(ms: number): { ms: number; capped: boolean } {
  if (!Number.isFinite(ms) || ms > MAX_WAIT_MS) return { ms: MAX_WAIT_MS, capped: true };
  return { ms: Math.max(0, ms), capped: false };
}

/** Resolves on a later turn of the event loop, after the I/O waiting meanwhile is handled. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Resolves once the event loop has polled for I/O and signals since the call, wherever the call
 * runs. An immediate queued during the poll phase (in an I/O callback, or in work it started) runs
 * in the same turn, before the loop polls again: a signal that came meanwhile would not be seen
 * yet. One queued from an immediate runs on the next turn, after its poll.
 */
export const afterPoll = (): Promise<void> =>
  new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * The most time a step of background work (a slice of the rules, a pass queueing alerts) holds
 * the event loop before it lets /healthz, the metrics and Slack in.
 */
export const SLICE_MS = 1.5;

/** True once SLICE_MS have passed since it was made: ends a slice of work after any item. */
export function timeBox(): () => boolean {
  const ends = performance.now() + SLICE_MS;
  return () => performance.now() >= ends;
}

/** `work`, or as soon as `signal` aborts, whichever is first (the work is left to end alone). */
export function untilStopped(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const stop = () => {
      work.catch(() => undefined);
      resolve();
    };
    signal.addEventListener("abort", stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

/**
 * A pause between two rounds of work that can be ended early (`end`): asked while no pause runs,
 * the next one is skipped, so a request made during the work is not lost.
 */
export class Pause {
  private ending: (() => void) | undefined;
  private skipNext = false;

  constructor(private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>) {}

  /** Sleeps `ms`, or until `end` or `signal` aborts. */
  async for(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    if (this.skipNext) {
      this.skipNext = false;
      return;
    }
    const pause = new AbortController();
    const end = () => pause.abort();
    signal.addEventListener("abort", end, { once: true });
    this.ending = end;
    try {
      await this.sleep(ms, pause.signal);
    } finally {
      this.ending = undefined;
      signal.removeEventListener("abort", end);
    }
  }

  end(): void {
    if (this.ending) this.ending();
    else this.skipNext = true;
  }
}
