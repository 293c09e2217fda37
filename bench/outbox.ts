import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClaimOptions, NewOutboxItem } from "../src/domain/outbox.js";
import { methodsOf } from "../src/slack/outbox/claims.js";
import { PRIORITY } from "../src/slack/outbox/priority.js";
import { openStore } from "../src/store/open.js";
import { OutboxStore } from "../src/store/outbox.js";
import { percentile } from "./percentile.js";

/** Direct messages held back by a pause of conversations.open. */
const HELD = [300, 3_000, 10_000];
/** Updates of the alert channel's messages held back by their lane's pace. */
const PACED = 250;
const HISTORY = 20_000;
const RUNS = 200;

/** A message's blocks as long as an alert's. */
const BLOCKS = Array.from({ length: 6 }, (_, i) => ({
  type: "section",
  text: { type: "mrkdwn", text: `line ${i} `.repeat(30) },
}));

/**
 * A month of sent messages, then what waits: `held` questions to people ("did you do this?", by
 * direct message) while conversations.open is paused, and PACED updates of the alert channel's
 * messages, their lane paced; behind them, roll-ups of RUNS channels.
 */
function build(db: ReturnType<typeof openStore>, held: number, now: number): OutboxStore {
  const outbox = new OutboxStore(db);
  const item = (key: string, over: Partial<NewOutboxItem>): NewOutboxItem => ({
    key,
    kind: "alert",
    method: "chat.postMessage",
    to: { channel: "C1" },
    payload: { text: key, blocks: BLOCKS },
    priority: PRIORITY.reply,
    ...over,
  });
  db.transaction(() => {
    for (let i = 0; i < HISTORY; i++) outbox.enqueue(item(`sent-${i}`, {}), now);
    db.prepare("UPDATE outbox SET state = 'delivered', settled_at = ?").run(now);
    for (let i = 0; i < PACED; i++)
      outbox.enqueue(
        item(`update-${i}`, {
          kind: "alert-update",
          method: "chat.update",
          to: { channel: "C1", ts: `${i}.000100` },
          priority: PRIORITY.update,
        }),
        now,
      );
    for (let i = 0; i < held; i++)
      outbox.enqueue(item(`ask-${i}`, { kind: "ask", to: { user: `U${i}` } }), now);
    for (let i = 0; i < RUNS + 3; i++)
      outbox.enqueue(
        item(`rollup-${i}`, { kind: "rollup", to: { channel: `C${i + 2}` }, priority: 5 }),
        now,
      );
  })();
  outbox.hold("C1 update", now + 500);
  return outbox;
}

/** The p50 and p99 of `claim` over RUNS runs, in ms. */
function timed(claim: () => unknown): [number, number] {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    claim();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return [percentile(times, 50), percentile(times, 99)];
}

/**
 * The outbox's claim, as the poster makes it at each pass, while many messages wait: held by a
 * paused method, or by their lane's pace. What waits must hold back nothing ranked after it, and
 * cost what waits, not the outbox's history.
 */
export async function benchOutbox(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-bench-"));
  const now = Date.now();
  const paused = new Set(["conversations.open"]);
  const options = (n: number): ClaimOptions => ({
    now,
    owner: `bench:1:${n}`,
    nonce: `n${n}`,
    leaseMs: 120_000,
    lookUpAfterMs: 30_000,
    spacingMs: 1_000,
    kinds: new Set(["alert", "alert-update", "ask", "rollup"]),
    blocked: (item) => methodsOf(item).some((m) => paused.has(m)),
    alive: () => true,
  });
  console.log(
    `${"waiting".padEnd(44)}${"a roll-up behind them".padStart(24)}${"nothing to claim".padStart(24)}`,
  );
  try {
    for (const held of HELD) {
      const db = openStore(join(dir, `outbox-${held}.db`));
      const outbox = build(db, held, now);
      let n = 0;
      const found = timed(() => {
        if (!outbox.claimNext(options(n++)).item) throw new Error("the roll-up was not claimed");
      });
      // Each roll-up's channel is now paced: the rest wait, as at the end of each pass.
      db.prepare("UPDATE outbox SET state = 'delivered' WHERE kind = 'rollup'").run();
      const none = timed(() => {
        if (outbox.claimNext(options(n++)).item) throw new Error("a held message was claimed");
      });
      const cell = ([p50, p99]: [number, number]) =>
        `p50 ${p50.toFixed(2)} p99 ${p99.toFixed(2)} ms`.padStart(24);
      const label = `${held.toLocaleString("en-US")} held by a pause, ${PACED} by a pace`;
      console.log(`${label.padEnd(44)}${cell(found)}${cell(none)}`);
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
