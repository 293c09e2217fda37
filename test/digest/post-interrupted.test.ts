/**
 * Ctrl-C on `digest --post` while Slack makes it wait: the digest it queued is withdrawn, and
 * said so, so that the bot's next start does not post it beside the one a second run posts; once
 * its message is being sent (it may have reached Slack), it stays queued for the bot to finish.
 */
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { CLI, childEnv, collect, RunningCli, runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { reached } from "../helpers/until.js";

const CHANNEL = "C0123ABCD";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slacks: FakeSlack[] = [];
const bots: RunningCli[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) b.child.kill("SIGKILL");
  await Promise.all(slacks.splice(0).map((s) => s.close()));
});

/** The on-demand digests' outbox rows and records. */
function stored(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      rows: db
        .prepare("SELECT kind, state FROM outbox WHERE kind LIKE 'digest%' ORDER BY id")
        .all() as Array<{ kind: string; state: string }>,
      refused: db
        .prepare("SELECT refused FROM digests WHERE kind = 'on-demand' ORDER BY id")
        .pluck()
        .all(),
    };
  } finally {
    db.close();
  }
}

/** A polled store and a fake Slack; the environment `digest --post` posts with. */
async function setUp() {
  const { env, path } = await simulatedOrg(3000);
  expect((await runCli(["poll", "--once"], env)).code).toBe(0);
  const slack = await startFakeSlack({ token: "xoxb-test" });
  slacks.push(slack);
  const slackEnv = {
    ...env,
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: "secret",
    SLACK_ALERT_CHANNEL: CHANNEL,
    SLACK_API_URL: slack.url,
  };
  return { path, slack, slackEnv };
}

/** `digest --post` once Slack made it wait (a rate limit), and how it ends. */
async function rateLimited(env: Record<string, string>, slack: FakeSlack) {
  slack.failNext("chat.postMessage", { status: 429, retryAfter: 40 });
  const child = spawn(process.execPath, [CLI, "digest", "--post"], { env: childEnv(env) });
  const done = collect(child);
  await slack.waitForCalls("chat.postMessage", 1, 30_000);
  await sleep(500); // it waits out the pause
  return { child, done };
}

/** Another process's write lock on the database (a bot's batch, a sqlite3 shell), until `free`. */
function writeLocked(path: string) {
  const locker = new Database(path);
  locker.exec("BEGIN IMMEDIATE");
  return {
    free: () => {
      locker.exec("COMMIT");
      locker.close();
    },
  };
}

/** `digest --post`, sent SIGINT once `ready` holds. */
async function postInterrupted(env: Record<string, string>, ready: () => Promise<unknown>) {
  const child = spawn(process.execPath, [CLI, "digest", "--post"], { env: childEnv(env) });
  const done = collect(child);
  await ready();
  child.kill("SIGINT");
  return done;
}

describe("digest --post stopped with Ctrl-C", () => {
  it("while rate-limited: withdraws its digest, says so, and no second copy reaches the channel", async () => {
    const { path, slack, slackEnv } = await setUp();
    slack.failNext("chat.postMessage", { status: 429, retryAfter: 25 });
    const first = await postInterrupted(slackEnv, async () => {
      await slack.waitForCalls("chat.postMessage", 1, 30_000);
      await new Promise((r) => setTimeout(r, 500)); // it waits out the pause
    });
    expect(first.code, first.stderr).toBe(130);
    expect(first.stderr).toContain(
      "digest --post stopped (SIGINT): its digest is withdrawn, nothing of it posted; digest --post again posts one\n",
    );
    expect(stored(path)).toEqual({
      rows: [
        { kind: "digest", state: "dropped" },
        { kind: "digest-chart", state: "dropped" },
      ],
      refused: ["withdrawn: digest --post was stopped (SIGINT)"],
    });

    // Posted again, then the bot starts: it has nothing of the first run's to post.
    const again = await runCli(["digest", "--post"], slackEnv);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const bot = new RunningCli(["start"], { ...slackEnv, PORT: "0", LOG_LEVEL: "info" });
    bots.push(bot);
    await bot.port();
    const open = () =>
      stored(path).rows.some((r) => r.state === "pending" || r.state === "claimed");
    expect(await reached(() => !open(), 30_000)).toBe(true);
    const digests = slack
      .messages(CHANNEL)
      .filter((m) => /digest/i.test(m.text) && m.thread_ts === undefined);
    expect(digests).toHaveLength(1);
  }, 180_000);

  it("while its message is being sent: leaves it queued for the bot, and says so", async () => {
    const { path, slack, slackEnv } = await setUp();
    slack.failNext("chat.postMessage", { hang: true });
    const result = await postInterrupted(slackEnv, () =>
      slack.waitFor(() => slack.hanging === 1, 30_000, "the post being sent"),
    );
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain(
      "digest --post stopped (SIGINT) while its digest was being sent: it may have reached Slack, so it stays queued;",
    );
    const { rows, refused } = stored(path);
    expect(rows.map((r) => r.state)).not.toContain("dropped");
    expect(refused).toEqual([null]);
  }, 120_000);

  it("while another process holds the write lock past the busy timeout: says the digest stays queued for the bot", async () => {
    const { path, slack, slackEnv } = await setUp();
    const { child, done } = await rateLimited(slackEnv, slack);
    const lock = writeLocked(path);
    child.kill("SIGINT");
    await sleep(6_500); // longer than the 5-second busy timeout
    lock.free();
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain(
      "digest --post stopped (SIGINT), but its digest could not be withdrawn (the database said: database is locked): it stays queued, and the bot posts it (at its start, or now if it runs). Do not run digest --post again\n",
    );
    expect(result.stderr).not.toContain("SqliteError");
    expect(stored(path)).toEqual({
      rows: [
        { kind: "digest", state: "pending" },
        { kind: "digest-chart", state: "pending" },
      ],
      refused: [null],
    });
  }, 120_000);

  it("pressed twice while the withdraw waits for the write lock: the second is ignored, the digest withdrawn", async () => {
    const { path, slack, slackEnv } = await setUp();
    const { child, done } = await rateLimited(slackEnv, slack);
    const lock = writeLocked(path);
    child.kill("SIGINT");
    await sleep(1_000); // nothing said yet: Ctrl-C again
    child.kill("SIGINT");
    await sleep(1_000);
    lock.free();
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain(
      "digest --post stopped (SIGINT): its digest is withdrawn, nothing of it posted; digest --post again posts one\n",
    );
    expect(stored(path).rows.map((r) => r.state)).toEqual(["dropped", "dropped"]);
  }, 120_000);
});
