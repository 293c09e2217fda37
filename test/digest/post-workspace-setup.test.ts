/**
 * `digest --post` from a shell, the bot not running, meeting a setup problem of the workspace's
 * rather than the shell's own (the workspace being moved into an Enterprise organization, which
 * Slack ends by itself): the digest is left queued for the bot, and said so.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const TOKEN = "xoxb-workspace";
const CHANNEL = "C0WORKSP1";

const running: RunningCli[] = [];
const closing: Array<Simulator | FakeSlack> = [];
afterEach(async () => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

/** A database polled once, the bot stopped. */
async function polled() {
  const sim = await startSimulator({
    seed: 4,
    orgId: "org-w",
    apiKey: "k",
    start: Date.now() - 2 * 3_600_000,
    intervalMs: 60_000,
  });
  const slack = await startFakeSlack({ token: TOKEN });
  closing.push(sim, slack);
  slack.setMembers(CHANNEL, ["U0RESP"]);
  slack.addUser({ id: "U0RESP" });
  const path = join(tempDir(), "w.db");
  const env = {
    ATLASSIAN_API_BASE_URL: sim.url,
    ATLASSIAN_ORG_ID: "org-w",
    ATLASSIAN_API_KEY: "k",
    DATABASE_PATH: path,
    BACKFILL_DAYS: "1",
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: "s",
    SLACK_API_URL: slack.url,
    SLACK_ALERT_CHANNEL: CHANNEL,
  };
  const poll = await runCli(["poll", "--once"], env);
  expect(poll.code, poll.stderr).toBe(0);
  return { slack, env, path };
}

/** The digest's messages in the outbox, read as another process would. */
function digestStates(path: string): Array<{ kind: string; state: string }> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT kind, state FROM outbox WHERE kind LIKE 'digest%' ORDER BY id")
      .all() as Array<{ kind: string; state: string }>;
  } finally {
    db.close();
  }
}

/** How long from now the digest waits before it is tried again. */
function retryIn(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        "SELECT next_attempt_at AS next FROM outbox WHERE kind = 'digest' AND state = 'pending'",
      )
      .get() as { next: number };
    return row.next - Date.now();
  } finally {
    db.close();
  }
}

/** The digest's wait over, as if it had passed. */
function retryNow(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'").run(Date.now());
  } finally {
    db.close();
  }
}

const isDigest = (m: { metadata?: { event_type?: string } }) =>
  m.metadata?.event_type === "mcp_digest";

describe("digest --post while the workspace is moved into an Enterprise organization", () => {
  it("leaves the digest queued, says so, and the bot posts it once the move is over", async () => {
    const { slack, env, path } = await polled();
    let moving = true;
    for (const method of ["auth.test", "chat.postMessage"])
      slack.failNext(method, { error: "org_login_required" }, 1000, () => moving);

    const cli = await runCli(["digest", "--post"], env);
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toBe(
      "not posted yet: the workspace is being migrated to an Enterprise organization: messages wait until it is done. It stays queued: the bot posts it once it can.\n",
    );
    expect(digestStates(path)).toContainEqual({ kind: "digest", state: "pending" });
    expect(slack.messages(CHANNEL).filter(isDigest)).toEqual([]);

    // A setup problem holds the digest a minute: that minute passes (its retry time moved to now).
    const waits = retryIn(path);
    expect(waits).toBeGreaterThan(30_000);
    expect(waits).toBeLessThanOrEqual(60_000);
    retryNow(path);
    moving = false;
    const bot = new RunningCli(["start"], { ...env, PORT: "0" });
    running.push(bot);
    await until(
      () => slack.messages(CHANNEL).some(isDigest),
      "the bot to post the digest left queued",
      60_000,
    );
    expect(slack.messages(CHANNEL).filter(isDigest)).toHaveLength(1);
  }, 240_000);

  it("met once by the token check: the digest is posted all the same", async () => {
    const { slack, env, path } = await polled();
    slack.failNext("auth.test", { error: "team_added_to_org" });

    const cli = await runCli(["digest", "--post"], env);
    expect(cli.stdout).toBe(`digest posted to ${CHANNEL}\n`);
    expect(cli.code, cli.stderr).toBe(0);
    expect(slack.messages(CHANNEL).filter(isDigest)).toHaveLength(1);
    expect(digestStates(path)).toContainEqual({ kind: "digest", state: "delivered" });
  }, 180_000);
});
