/**
 * SIGKILL while Slack is still storing a chat.postMessage (a slow Slack, 3 s), and a restart at
 * once: the claim taken back from the dead process is looked up 30 s after it began, when Slack
 * has finished with it, not at once (the look-up would find nothing and post it again).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const CHANNEL = "C0CRASHED";
const CHILD = fileURLToPath(new URL("./outbox-child.mjs", import.meta.url));
const children: ChildProcess[] = [];
const fakes: FakeSlack[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const fake of fakes.splice(0)) await fake.close();
});

const start = (path: string, slack: FakeSlack) => {
  const child = spawn(process.execPath, [CHILD, path, slack.url, CHANNEL], {
    env: { PATH: process.env.PATH ?? "" },
  });
  children.push(child);
  return child;
};

const waiting = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM outbox WHERE state IN ('pending','claimed')",
      )
      .get()?.n;
  } finally {
    db.close();
  }
};

it("a post Slack is still storing when the bot is killed is not posted again on restart", async () => {
  const slack = await startFakeSlack();
  fakes.push(slack);
  const path = join(tempDir(), "outbox.db");
  const db = openStore(path);
  repositories(db).outbox.enqueue(
    {
      key: "notice:1",
      kind: "notice",
      method: "chat.postMessage",
      to: { channel: CHANNEL },
      payload: { text: "the API key expires in 5 days" },
      priority: 0,
    },
    Date.now(),
  );
  db.close();
  // Slack takes 3 s to store this post (and stores it whatever happens to the caller).
  slack.failNext("chat.postMessage", { delayMs: 3_000 });

  const first = start(path, slack);
  await slack.waitForCalls("chat.postMessage", 1, 10_000);
  const exited = new Promise((resolve) => first.once("exit", resolve));
  first.kill("SIGKILL");
  await exited;
  start(path, slack); // the container restarts it
  await until(() => waiting(path) === 0, "the outbox to empty", 45_000);
  await slack.idle(10_000);
  expect(slack.messages(CHANNEL).filter((m) => m.text.includes("API key expires"))).toHaveLength(1);
}, 90_000);
