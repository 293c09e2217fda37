/** GET /healthz of a server on 127.0.0.1: once, or until it says what a test waits for. */
import { readUntil } from "./until.js";

export interface HealthReading<B> {
  status: number;
  body: B;
}

/** The status code and JSON body /healthz answers now. */
export async function healthz<B>(port: number): Promise<HealthReading<B>> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as B };
}

/** Reads /healthz until `check` holds for its answer, and returns that answer. */
export function healthzUntil<B>(
  port: number,
  check: (health: HealthReading<B>) => boolean,
  what: string,
  ms?: number,
): Promise<HealthReading<B>> {
  return readUntil(() => healthz<B>(port), check, what, ms);
}
