import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseQuery } from "../src/query/parse.js";
import { runActivity, toFilter } from "../src/query/run.js";
import { ActivityStore } from "../src/store/activity.js";
import { GuidanceFigureStore } from "../src/store/guidance-figures.js";
import { DAY } from "../src/time-units.js";
import { percentile } from "./percentile.js";
import { millionEventStore } from "./store-1m.js";

const RUNS = 40;

/**
 * p50 and p95 of each kind of /mcp-activity question over the 1M-event store, and the longest the
 * questions held the event loop (what a /healthz or a Slack request arriving meanwhile waits).
 */
export async function benchQuery(): Promise<void> {
  const now = Date.now();
  const { db, orgId } = millionEventStore(now);
  const store = new ActivityStore(db);
  const people = db
    .prepare<[string], { email: string }>(
      "SELECT DISTINCT user_email AS email FROM events WHERE org_id = ? AND is_mcp = 1 AND user_email IS NOT NULL LIMIT 200",
    )
    .all(orgId)
    .map((r) => r.email);
  const tools = db
    .prepare<[string], { tool: string }>(
      "SELECT DISTINCT tool FROM events WHERE org_id = ? AND is_mcp = 1 AND tool IS NOT NULL",
    )
    .all(orgId)
    .map((r) => r.tool);
  const pick = <T>(list: readonly T[], i: number): T => list[(i * 7919) % list.length] as T;
  // A month of every call has no target of its own beyond Slack's 3 s: it is read in windows that
  // give the event loop its turns, and what it must not do is hold the loop.
  const kinds: Record<string, { target?: number; text: (i: number) => string }> = {
    "user + since:30d": { target: 50, text: (i) => `user:${pick(people, i)} since:30d` },
    "tool + since:7d": { target: 50, text: (i) => `tool:${pick(tools, i)} since:7d` },
    "free word since:7d": {
      target: 250,
      text: (i) => `${["runbook", "OPS-1", "Q3", "deploy", "onboarding"][i % 5]} since:7d`,
    },
    "status:open": { target: 50, text: () => "status:open since:30d" },
    "every call since:30d": { text: () => "since:30d" },
  };
  console.log(`${tools.length} tools, ${people.length}+ people sampled; ${RUNS} runs per kind`);
  for (const [kind, { target, text }] of Object.entries(kinds)) {
    const times: number[] = [];
    const held = monitorEventLoopDelay({ resolution: 1 });
    held.enable();
    for (let i = 0; i < RUNS; i++) {
      const parsed = parseQuery(text(i), { now, timeZone: "UTC" });
      if (!parsed.ok) throw new Error(`${text(i)}: ${parsed.error.message}`);
      const started = performance.now();
      const names = parsed.query.users.flatMap((u) => (u.kind === "text" ? [u.value] : []));
      const filter = toFilter(parsed.query, store, names, orgId);
      await runActivity(store, filter, parsed.query.limit);
      times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 2)); // the loop's turn between questions
    }
    held.disable();
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    const verdict =
      target === undefined
        ? "no latency target"
        : `target p95 <= ${target} ms: ${p95 <= target ? "met" : "NOT met"}`;
    console.log(
      `${kind.padEnd(20)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms   (${verdict})   event loop held at most ${(held.max / 1e6).toFixed(1)} ms`,
    );
  }
  // `/mcp-activity settings`: a responder's figures of the last 7 days, a statement a turn of the
  // event loop, as the bot reads them (the posture's grouped calls on a turn of their own).
  const figures = new GuidanceFigureStore(db);
  const times: number[] = [];
  const held = monitorEventLoopDelay({ resolution: 1 });
  held.enable();
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await figures.guidanceStats(orgId, now - 7 * DAY, now);
    await new Promise((resolve) => setImmediate(resolve));
    figures.observedUse(orgId, now - 7 * DAY, now);
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  held.disable();
  times.sort((a, b) => a - b);
  console.log(
    `${"settings figures 7d".padEnd(20)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms   (no latency target)   event loop held at most ${(held.max / 1e6).toFixed(1)} ms`,
  );
  db.close();
}
