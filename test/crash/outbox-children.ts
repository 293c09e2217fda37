/** Processes delivering an outbox (outbox-child.mjs, the built code), for tests that kill them. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { onTestFinished } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";

export const CHANNEL = "C0CRASHED";
const CHILD = fileURLToPath(new URL("./outbox-child.mjs", import.meta.url));

/** A fake Slack Web API on 127.0.0.1, closed when the test ends. */
export async function fakeSlack(): Promise<FakeSlack> {
  const slack = await startFakeSlack();
  onTestFinished(() => slack.close());
  return slack;
}

/**
 * A process delivering the outbox of `path` to `slack`, killed when the test ends; `aheadMs`: its
 * clock that far ahead, as a process started that much later would see. `log`: its output.
 */
export function startChild(
  path: string,
  slack: FakeSlack,
  aheadMs = 0,
): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, [CHILD, path, slack.url, CHANNEL, String(aheadMs)], {
    env: { PATH: process.env.PATH ?? "" },
  });
  onTestFinished(() => {
    child.kill("SIGKILL");
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  return { child, log: () => out };
}

/** Messages still to send, read by a connection of the test's own. */
export function waiting(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db
        .prepare<[], { n: number }>(
          "SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'claimed')",
        )
        .get()?.n ?? -1
    );
  } finally {
    db.close();
  }
}
