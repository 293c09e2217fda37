import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The test files that wait longest on real time (a scripted demo, SIGKILLs of the built CLI, a
 * fast clock's hours), slowest first. Started first, they run beside the many short files
 * instead of alone at the end of a run; a clean clone has no durations cached to order by.
 */
const SLOW = [
  "test/crash/bot.test.ts",
  "test/demo.test.ts",
  "test/e2e.test.ts",
  "test/faults/on-call.test.ts",
  "test/ingest/reclassify-stopped.test.ts",
  "test/crash/outbox-slow-slack.test.ts",
  "test/digest/post-rate-limited.test.ts",
  "test/slack/outbox-matrix.test.ts",
  "test/ingest/commands.test.ts",
  "test/crash/outbox.test.ts",
  "test/digest/post-unreachable.test.ts",
  "test/crash/export.test.ts",
];

const rank = (spec: TestSpecification) => {
  const at = SLOW.findIndex((path) => spec.moduleId.endsWith(path));
  return at === -1 ? SLOW.length : at;
};

/** Vitest's order (failed, then longest cached, then largest), with the slow files first. */
export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
