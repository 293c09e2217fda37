/**
 * What a test opened (folders, databases, servers, apps), closed once it ends, the last opened
 * first. Helpers add to it; `after-each.ts`, a setup file, closes it after every test of every
 * file. A helper's own top-level `afterEach` would not do: the workers share modules between test
 * files (no isolation), so it would be registered in the first file that imports the helper only.
 */
const opened: Array<() => unknown> = [];

/** Closes `close` after the current test. */
export function closeAfterTest(close: () => unknown): void {
  opened.push(close);
}

/** Closes everything opened since the last call, the last first; every one is tried. */
export async function closeOpened(): Promise<void> {
  const failures: unknown[] = [];
  for (let close = opened.pop(); close; close = opened.pop()) {
    try {
      await close();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, "closing after the test failed");
}
