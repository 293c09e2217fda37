/** Waiting in the fake: conditions re-checked on every event, and delays that close() cuts short. */
export class Signals {
  private readonly waiters = new Set<() => void>();
  private readonly sleepers = new Set<() => void>();

  /** Re-checks every pending waitFor. */
  notify(): void {
    for (const test of [...this.waiters]) test();
  }

  waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const test = () => {
        try {
          if (!check()) return;
          resolve();
        } catch (error) {
          reject(error);
        }
        clearTimeout(timer);
        this.waiters.delete(test);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        reject(new Error(`fake Slack: no ${what} after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(test);
      test();
    });
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Ends every pending sleep now. */
  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
