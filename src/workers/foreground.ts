import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { nextTurn } from "../wait.js";

/** After interactive work ends, background work still waits this long: a Slack reply takes a few more turns. */
const GRACE_MS = 10;
/** The longest background work gives way at a time, so requests arriving without pause never starve it. */
const MAX_YIELD_MS = 50;

/**
 * Interactive work first. The bot answers Slack, /healthz and /metrics on the thread that also
 * stores events and runs the rules; those run in steps of a few milliseconds, and before each
 * step they give way while a request is being answered (and GRACE_MS after), for MAX_YIELD_MS at
 * most. A request then waits behind at most one step, not behind one at every turn of its reply.
 */
export class Foreground {
  private running = 0;
  private endedAt = Number.NEGATIVE_INFINITY;

  /** Marks interactive work as running; the function returned marks its end (once). */
  begin(): () => void {
    this.running++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running--;
      this.endedAt = performance.now();
    };
  }

  busy(): boolean {
    return this.running > 0 || performance.now() - this.endedAt < GRACE_MS;
  }

  /** Runs `work` (a Slack listener and what it awaits) as interactive work. */
  async around<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work();
    } finally {
      end();
    }
  }

  /** An HTTP handler whose requests are interactive work until their response is closed. */
  handler(
    handle: (req: IncomingMessage, res: ServerResponse) => void,
  ): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      res.once("close", this.begin());
      handle(req, res);
    };
  }

  /** Resolves on a later turn of the event loop once no interactive work runs, or after MAX_YIELD_MS. */
  async yieldTo(): Promise<void> {
    const until = performance.now() + MAX_YIELD_MS;
    await nextTurn();
    while (this.busy() && performance.now() < until) await sleep(1);
  }
}
