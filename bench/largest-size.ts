import { Worker } from "node:worker_threads";

/**
 * A file's size polled every 5 ms on a thread of its own, so that a stall of this one hides no
 * peak: the largest it has been since the last ask.
 */
const THREAD = `
const { statSync } = require("node:fs");
const { parentPort, workerData } = require("node:worker_threads");
let largest = 0;
setInterval(() => {
  const stats = statSync(workerData, { throwIfNoEntry: false });
  if (stats && stats.size > largest) largest = stats.size;
}, 5);
parentPort.on("message", () => {
  parentPort.postMessage(largest);
  largest = 0;
});
`;

export interface LargestSize {
  /** The largest size seen since the last call (or the start), in bytes. */
  since(): Promise<number>;
  stop(): Promise<void>;
}

export function watchLargestSize(path: string): LargestSize {
  const worker = new Worker(THREAD, { eval: true, workerData: path });
  return {
    since: () =>
      new Promise<number>((resolve) => {
        worker.once("message", resolve);
        worker.postMessage("since");
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
