import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most test files wait on child processes, loopback HTTP and timers rather than the CPU:
    // two at a time on two cores (vitest's default there is one).
    maxWorkers: 2,
  },
});
