import { describe, expect, it } from "vitest";
import { Pause } from "../src/wait.js";

/** A sleep that lasts until its signal aborts, recording each call. */
function heldSleep() {
  const calls: number[] = [];
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      calls.push(ms);
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  return { calls, sleep };
}

describe("Pause", () => {
  it("ends a pause that is running when told to end", async () => {
    const { calls, sleep } = heldSleep();
    const pause = new Pause(sleep);
    const running = pause.for(60_000, new AbortController().signal);
    pause.end();
    await running;
    expect(calls).toEqual([60_000]);
  });

  it("skips the next pause once when told to end while none runs", async () => {
    const { calls, sleep } = heldSleep();
    const pause = new Pause(sleep);
    pause.end();
    await pause.for(60_000, new AbortController().signal);
    expect(calls).toEqual([]);
    const stop = new AbortController();
    const next = pause.for(30_000, stop.signal);
    expect(calls).toEqual([30_000]);
    stop.abort();
    await next;
  });

  it("does not sleep once the outer signal has aborted", async () => {
    const { calls, sleep } = heldSleep();
    const stop = new AbortController();
    stop.abort();
    await new Pause(sleep).for(60_000, stop.signal);
    expect(calls).toEqual([]);
  });

  it("ends when the outer signal aborts", async () => {
    const { sleep } = heldSleep();
    const stop = new AbortController();
    const running = new Pause(sleep).for(60_000, stop.signal);
    stop.abort();
    await expect(running).resolves.toBeUndefined();
  });
});
