/** Waiting on real time for a condition instead of sleeping a fixed while. */

/** Checks `check` every `every` ms of real time; false when `ms` passed without it holding. */
export async function reached(
  check: () => boolean | Promise<boolean>,
  ms: number,
  every = 20,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return true;
}

/** Checks `check` every `every` ms of real time until it holds; fails after `ms`, naming `what`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
  every = 20,
): Promise<void> {
  if (!(await reached(check, ms, every))) throw new Error(`not reached within ${ms} ms: ${what}`);
}

/**
 * Reads `read` every 20 ms of real time until `check` holds for what it read, and returns that
 * reading (a status code and body, say); fails after `ms`, naming `what` and the last reading.
 */
export async function readUntil<T>(
  read: () => T | Promise<T>,
  check: (value: T) => boolean,
  what: string,
  ms = 10_000,
): Promise<T> {
  let last: { value: T } | undefined;
  const held = await reached(async () => {
    last = { value: await read() };
    return check(last.value);
  }, ms);
  if (!held || !last)
    throw new Error(`not reached within ${ms} ms: ${what} (last: ${JSON.stringify(last?.value)})`);
  return last.value;
}
