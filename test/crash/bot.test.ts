/**
 * The built CLI killed with SIGKILL at seeded random moments while it ingests, posts alerts,
 * takes clicks and posts digests, restarted on the same database each time; at the end nothing
 * the simulator served or the product owed Slack is missing or repeated.
 * CRASH_SEED=<n> replays a run's choices (the moments still depend on the machine's timing).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "../../src/simulator/index.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli } from "../helpers/cli.js";
import { cronAt } from "../helpers/cron.js";
import { actionBody, postSigned } from "../helpers/slack-sign.js";
import { historyReadAt, storedEventCount } from "../helpers/stored.js";
import { tempDir } from "../helpers/tmp.js";
import { reached } from "../helpers/until.js";
import {
  type Click,
  checkAlerts,
  checkClicks,
  checkDigests,
  checkEvents,
  clickable,
  readStore,
  topLevel,
} from "./checks.js";
import { type Phase, prng, sleep } from "./plan.js";

const SECRET = "crash-signing-secret";
const TOKEN = "xoxb-crash-token";
const CHANNEL = "C0CRASH01";
const ORG = "org-crash-all";
const KEY = "crash-all-key";
/** New Year's midnight, UTC: no digest comes due while the test runs. */
const YEARLY = "0 0 0 1 1 *";
const CLICKERS = Array.from({ length: 20 }, (_, i) => `U0CLICK${String(i).padStart(3, "0")}`);
/**
 * Four kills while the first backfill runs, four rounds of the live phases, then four around
 * digests, once the history is read (a daily digest is made only then): 20 in all.
 */
const PLAN: Phase[] = [
  ...Array.from({ length: 4 }, (): Phase => "backfill"),
  ...Array.from({ length: 4 }, (): Phase[] => ["live", "delivery", "click"]).flat(),
  ...Array.from({ length: 4 }, (): Phase => "digest"),
];

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

function clickBody(user: string, alertId: number, ts: string, responseUrl: string): string {
  return actionBody({
    type: "block_actions",
    team: { id: "T0CRASH" },
    user: { id: user, username: user.toLowerCase(), team_id: "T0CRASH" },
    api_app_id: "A0CRASH",
    token: "unused",
    trigger_id: `t-${user}`,
    container: { type: "message", message_ts: ts, channel_id: CHANNEL },
    channel: { id: CHANNEL },
    message: { ts, type: "message", text: "" },
    response_url: responseUrl,
    actions: [
      {
        type: "button",
        action_id: "alert_acknowledge",
        block_id: "b",
        value: String(alertId),
        action_ts: "1",
      },
    ],
  });
}

/** What the last run still owes, in words; undefined once nothing is. */
function owed(path: string): string | undefined {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string) => db.prepare(sql).get() !== undefined;
    if (
      one(
        `SELECT 1 FROM alerts a LEFT JOIN deliveries d ON d.alert_id = a.id
         WHERE a.notify = 1 AND (d.ts IS NULL OR (d.via_summary = 0 AND d.revision < a.revision)) AND d.failure IS NULL`,
      )
    )
      return "an alert not shown at its revision";
    if (one("SELECT 1 FROM digests WHERE posted_at IS NULL")) return "a digest not posted";
    // The rules have not yet judged every stored event (they run in slices, after a commit).
    if (
      one(
        "SELECT 1 FROM event_counts c WHERE c.max_seq > coalesce((SELECT max(last_seq) FROM detection_state), 0)",
      )
    )
      return "events the rules have not judged";
    const waiting = db
      .prepare<
        [],
        { kind: string; state: string; attempts: number; next: number; error: string | null }
      >(
        // A growth reply never tried waits for its spacing (10 minutes after the one before) by design.
        `SELECT kind, state, attempts, next_attempt_at AS next, last_error AS error FROM outbox
         WHERE state IN ('pending', 'claimed')
           AND NOT (kind = 'alert-grew' AND state = 'pending' AND attempts = 0) LIMIT 1`,
      )
      .get();
    if (waiting)
      return `an outbox message waiting: ${waiting.kind} ${waiting.state}, ${waiting.attempts} attempts, next in ${Math.round((waiting.next - Date.now()) / 1000)} s, last error ${waiting.error}`;
    return undefined;
  } finally {
    db.close();
  }
}

/** One process of the test: where its calls start in the fakes' records, what follows its kill. */
interface Running {
  readonly process: RunningCli;
  readonly mark: number;
  readonly simMark: number;
  url: string;
  after?: () => Promise<unknown>;
}

describe("crash safety of the whole product", () => {
  it("SIGKILL at random moments loses and repeats nothing it guarantees", async () => {
    const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = prng(seed);
    const where = `(CRASH_SEED=${seed})`;
    let frozenAt: number | undefined;
    const sim = await startSimulator({
      seed: 11,
      orgId: ORG,
      apiKey: KEY,
      start: Date.now() - 1.5 * 3_600_000,
      intervalMs: 400,
      clock: { now: () => frozenAt ?? Date.now() },
    });
    const slack = await startFakeSlack({ token: TOKEN });
    const dir = tempDir();
    const path = join(dir, "crash.db");
    // Every severity to the channel, short groups: alerts keep coming.
    const rules = join(dir, "rules.json");
    writeFileSync(rules, JSON.stringify({ minSeverity: "info", groupingWindowMinutes: 1 }));
    const env = {
      ATLASSIAN_API_BASE_URL: sim.url,
      ATLASSIAN_ORG_ID: ORG,
      ATLASSIAN_API_KEY: KEY,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      SLACK_ALERT_CHANNEL: CHANNEL,
      PORT: "0",
      DATABASE_PATH: path,
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      // A yearly digest, except in the digest's phase (below): no other comes due.
      DIGEST_CRON: YEARLY,
      RULES_FILE: rules,
      LOG_LEVEL: "info",
    };
    const clicks: Click[] = [];
    const kills = Object.fromEntries(PLAN.map((p) => [p, 0])) as Record<Phase, number>;
    const missed: string[] = [];
    const started = Date.now();
    const backlog = sim.countValidEventsUpTo();
    try {
      // The clickers are responders: members of the private alert channel whom Slack knows.
      slack.setMembers(CHANNEL, CLICKERS);
      for (const id of CLICKERS) slack.addUser({ id });
      const since = (method: string, from: number) =>
        slack.calls.slice(from).filter((c) => c.method === method);

      /** Waits for the phase's moment; resolves false when it did not come in time. */
      const reach = async (phase: Phase, cli: Running): Promise<boolean> => {
        const { mark, simMark } = cli;
        switch (phase) {
          case "backfill": {
            // A random point of the first backfill, seen from its committed events.
            const step = backlog / 5;
            const target = random.int(
              Math.floor(kills.backfill * step),
              Math.floor((kills.backfill + 1) * step),
            );
            return reached(() => storedEventCount(path) >= target, 15_000, 2);
          }
          case "live": {
            // Somewhere inside a poll, its commit, or the rules run after it.
            const polled = await reached(
              () => sim.requests.slice(simMark).some((r) => r.path.endsWith("/events-stream")),
              15_000,
              10,
            );
            await sleep(random.int(0, 60));
            return polled;
          }
          case "delivery": {
            // Right after a post; a post Slack took in but never answered; one answered late.
            const how = random.pick(["after-post", "dropped", "slow"] as const);
            if (how === "dropped") slack.failNext("chat.postMessage", { drop: true });
            if (how === "slow") slack.failNext("chat.postMessage", { delayMs: 300 });
            const posted = await reached(
              () => since("chat.postMessage", mark).some((c) => c.params.thread_ts === undefined),
              10_000,
              10,
            );
            await sleep(random.int(0, how === "slow" ? 250 : 30));
            if (how === "slow") cli.after = () => sleep(400); // Slack stores it before the restart looks
            return posted;
          }
          case "click": {
            const target = clickable(slack.messages(CHANNEL), clicks);
            const user = CLICKERS[clicks.length];
            if (!target || !user) return false;
            const click: Click = { user, alertId: target.alertId, ts: target.ts, acked: false };
            clicks.push(click);
            const body = clickBody(user, target.alertId, target.ts, slack.responseUrl(user));
            const sent = postSigned(`${cli.url}/slack/events`, body, SECRET).then(
              (r) => {
                click.acked = r.status === 200;
              },
              () => undefined,
            );
            cli.after = () => sent;
            // Before, around or after the handler's chat.update.
            if (random.int(0, 1) === 0) await sleep(random.int(0, 30));
            else await reached(() => since("chat.update", mark).length > 0, 5_000, 10);
            return true;
          }
          case "digest": {
            const isDigest = (c: { params: Record<string, unknown> }) =>
              (c.params.metadata as { event_type?: string } | undefined)?.event_type ===
              "mcp_digest";
            const posted = await reached(
              () => since("chat.postMessage", mark).some(isDigest),
              45_000,
              10,
            );
            await sleep(random.int(0, 300));
            return posted;
          }
        }
      };

      let digestTime = 0;
      for (const phase of PLAN) {
        if (phase === "digest" && digestTime === 0) {
          // Before the digests' phases, a bot left to run (and stopped cleanly) reads the history
          // and sends what is owed, however far the kills before left them: a daily digest is
          // made only of time after the history, and posted after the alerts queued before it.
          const settler = new RunningCli(["start"], env);
          running.push(settler);
          await settler.port();
          const settled = await reached(
            () => historyReadAt(path) !== undefined && owed(path) === undefined,
            120_000,
            50,
          );
          expect(settled, `${where} the history read, nothing owed: ${owed(path)}`).toBe(true);
          settler.child.kill("SIGTERM");
          expect((await settler.done).code, where).toBe(0);
        }
        // The digest's phase: a daily digest whose time passed a minute before the start, or
        // comes just after the history was read or the last phase's digest, made (late) once a
        // poll begun 30 s after that time has read the log: calls take that long to show.
        if (phase === "digest")
          digestTime = Math.max(
            Date.now() - 60_000,
            (historyReadAt(path) ?? 0) + 1_000,
            digestTime + 1_000,
          );
        const digestAt = phase === "digest" ? { DIGEST_CRON: cronAt(digestTime) } : {};
        const cli: Running = {
          process: new RunningCli(["start"], { ...env, ...digestAt }),
          mark: slack.calls.length,
          simMark: sim.requests.length,
          url: "",
        };
        running.push(cli.process);
        cli.url = `http://127.0.0.1:${await cli.process.port()}`;
        if (!(await reach(phase, cli))) missed.push(phase);
        cli.process.child.kill("SIGKILL");
        const result = await cli.process.done;
        expect(result.signal, `${where} the process ended before its ${phase} kill`).toBe(
          "SIGKILL",
        );
        kills[phase]++;
        await cli.after?.();
      }

      // The last run: the audit log stops growing, everything owed is delivered, SIGTERM.
      frozenAt = Date.now();
      // No new digest comes due; those already due are posted.
      const last = new RunningCli(["start"], env);
      running.push(last);
      await last.port();
      const simMark = sim.requests.length;
      const served = sim.countValidEventsUpTo(frozenAt);
      let still: string | undefined;
      const calm = await reached(
        () => {
          const polled = sim.requests
            .slice(simMark)
            .some((r) => r.path.endsWith("/events-stream") && r.status === 200);
          if (!polled || storedEventCount(path) < served) still = "events not all stored";
          else still = owed(path);
          return still === undefined;
        },
        // Under the load of the whole suite, a message that failed a few times waits out its
        // backoff (1 s, doubling): give it time, and say what is still owed if it runs out.
        120_000,
        10,
      );
      expect(calm, `${where} the last run did not settle: ${still}`).toBe(true);
      // The kills of the digests' phases came around digests really posted.
      expect(
        missed.filter((phase) => phase === "digest"),
        `${where} digests not posted in their phase`,
      ).toEqual([]);
      await sleep(1_000);
      last.child.kill("SIGTERM");
      expect((await last.done).code, where).toBe(0);

      const store = readStore(path, ORG);
      const messages = slack.messages(CHANNEL);
      checkEvents(
        store,
        [...sim.validEventsUpTo(frozenAt)].map((e) => e.id),
        where,
      );
      checkAlerts(store, messages, where);
      const updated = (click: Click) =>
        slack
          .callsTo("chat.update")
          .some(
            (c) =>
              c.params.ts === click.ts && JSON.stringify(c.params).includes(`<@${click.user}>`),
          );
      checkClicks(store, clicks, updated, where);
      // A refused click would leave the checks above nothing to check.
      const refused = slack.responses.filter((r) =>
        String(r.body.text).startsWith("Only responders"),
      );
      expect(refused, `${where} clicks refused`).toEqual([]);
      checkDigests(store, messages, where);
      const recovered = running
        .flatMap((cli) => cli.lines)
        .filter((l) =>
          String(l.msg).includes("message was already posted before a restart"),
        ).length;
      // Thread replies (growth, digest continuations, the chart) are sent once too.
      const replies = messages.filter((m) => m.thread_ts !== undefined && m.thread_ts !== m.ts);
      const keys = replies.map(
        (m) =>
          `${m.thread_ts} ${m.text} ${JSON.stringify(m.blocks ?? m.files?.map((f) => f.title))}`,
      );
      expect(keys.length - new Set(keys).size, `${where} thread replies repeated`).toBe(0);
      const recorded = clicks.filter((c) => store.changes.some((s) => s.actor === c.user));
      console.log(
        `crash test ${where}: ${PLAN.length} kills ${JSON.stringify(kills)}, ${missed.length} before their moment came ${JSON.stringify(missed)}; ` +
          `${store.eventIds.length} events, ${store.alerts.filter((a) => a.notify === 1).length} alerts to post ` +
          `(${recovered} messages found in Slack after a kill), ${topLevel(messages).length} channel messages, ` +
          `${replies.length} thread replies; clicks: ${clicks.length} sent, ${clicks.filter((c) => c.acked).length} acknowledged, ` +
          `${recorded.length} recorded, ${recorded.filter((c) => !updated(c)).length} of them never shown; ` +
          `${store.digests.length} digests; ${Math.round((Date.now() - started) / 1000)} s`,
      );
    } finally {
      await slack.close();
      await sim.close();
    }
  }, 300_000);
});
