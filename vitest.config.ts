import { defineConfig } from "vitest/config";
import { SlowFirst } from "./test/helpers/slow-first.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most test files wait on child processes, loopback HTTP and timers rather than the CPU:
    // six at a time on two cores (vitest's default there is one). Measured on an idle 2-core
    // machine, the suite took 312 s with four, 255 s with six and 215 s with eight (the CPU was
    // idle half the time with four); six leaves the slowest tests' waits room under load.
    maxWorkers: 6,
    // Each worker loads the sources once for all its files, rather than once per file: nothing
    // in them keeps state between tests but caches of pure results, and each test builds its own
    // stores, servers and clocks. Measured on the suite on an idle 2-core machine: 373 and 435 s
    // without isolation (importing took 30–36 s of its workers' time), 487 s with (319 s).
    isolate: false,
    // Closes what helpers opened after every test of every file (test/helpers/cleanup.ts): a
    // helper's own afterEach would run in the first file of a worker only.
    setupFiles: ["test/helpers/after-each.ts"],
    sequence: { sequencer: SlowFirst },
  },
});
