import { defineConfig } from "vitest/config";
import { SlowFirst } from "./test/helpers/slow-first.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most test files wait on child processes, loopback HTTP and timers rather than the CPU:
    // four at a time on two cores (vitest's default there is one). Measured on an idle 2-core
    // machine, the suite took 369 s with four and 416 s with three.
    maxWorkers: 4,
    sequence: { sequencer: SlowFirst },
  },
});
