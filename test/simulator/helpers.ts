import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { closeAfterTest } from "../helpers/cleanup.js";

export const API_KEY = "sim-test-key";
export const START = Date.UTC(2026, 2, 1, 0, 0, 0);
export const INTERVAL = 1_000;

/** A clock tests move by hand. */
export interface ManualClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

function manualClock(start: number): ManualClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** A simulator with `visible` events visible at the clock's start; closed after each test. */
export async function simulator(
  visible: number,
  options: Partial<SimulatorOptions> = {},
): Promise<{ sim: Simulator; clock: ManualClock }> {
  const clock = manualClock(START + (visible - 1) * INTERVAL);
  const sim = await startSimulator({
    seed: 7,
    orgId: "org-test",
    start: START,
    intervalMs: INTERVAL,
    apiKey: API_KEY,
    clock,
    ...options,
  });
  closeAfterTest(() => sim.close());
  return { sim, clock };
}

export interface Page {
  data: unknown[];
  meta: { next?: string; page_size?: number };
  links: { self?: string; next?: string };
}

export interface ErrorBody {
  errors: { status: string; code: string; title: string; detail: string }[];
}

/** GET a path with query parameters; `key: null` sends no Authorization. */
export function get(
  sim: Simulator,
  path: string,
  query: Record<string, string | number> = {},
  key: string | null = API_KEY,
  init: RequestInit = {},
): Promise<Response> {
  const url = new URL(path, sim.url);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  const headers: Record<string, string> = { accept: "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return fetch(url, { ...init, headers });
}

export function streamPath(sim: Simulator): string {
  return `/admin/v1/orgs/${sim.orgId}/events-stream`;
}

export async function page(
  sim: Simulator,
  query: Record<string, string | number> = {},
): Promise<Page> {
  const response = await get(sim, streamPath(sim), query);
  if (response.status !== 200)
    throw new Error(`status ${response.status}: ${await response.text()}`);
  return (await response.json()) as Page;
}

export function idOf(item: unknown): string {
  return (item as { id: string }).id;
}

/** Follows cursors until a page comes back empty; returns the items and the last cursor. */
export async function drain(
  sim: Simulator,
  first: Record<string, string | number>,
): Promise<{ items: unknown[]; cursor: string; pages: number }> {
  const items: unknown[] = [];
  let query = first;
  let pages = 0;
  for (;;) {
    const body = await page(sim, query);
    pages++;
    items.push(...body.data);
    const next = body.meta.next;
    if (!next) throw new Error("page without meta.next");
    if (body.data.length === 0) return { items, cursor: next, pages };
    query = { cursor: next, limit: query.limit ?? 200 };
  }
}
