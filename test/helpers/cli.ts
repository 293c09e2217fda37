import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** What `start` needs to get past its configuration: an Atlassian nobody answers on 127.0.0.1:9. */
export const BOT_ENV: Readonly<Record<string, string>> = {
  ATLASSIAN_ORG_ID: "org-1",
  ATLASSIAN_API_KEY: "atlassian-hunter2-key",
  ATLASSIAN_API_BASE_URL: "http://127.0.0.1:9",
  SLACK_BOT_TOKEN: "xoxb-hunter2-token",
  SLACK_SIGNING_SECRET: "hunter2-signing",
  SLACK_ALERT_CHANNEL: "C0123ABCD",
  PORT: "0",
};

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: nothing from the parent but PATH, plus what the test sets. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "", ...extra };
}

/** Runs the built CLI to completion. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(env), cwd });
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A running child whose JSON log lines can be awaited. */
export class RunningCli {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[] = [];
  readonly done: Promise<CliResult>;
  private waiters: Array<() => void> = [];

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [CLI, ...args], { env: childEnv(env) });
    this.done = collect(this.child);
    let partial = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      partial += chunk.toString();
      const complete = partial.split("\n");
      partial = complete.pop() ?? "";
      for (const line of complete) {
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ text: line });
        }
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first log line that matches, failing after `ms`. */
  async waitFor(
    match: (line: Record<string, unknown>) => boolean,
    ms = 15_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (this.child.exitCode !== null)
        throw new Error(`process exited (${this.child.exitCode}) before the line appeared`);
      if (Date.now() > deadline)
        throw new Error(
          `no matching log line within ${ms} ms: ${JSON.stringify(this.lines.slice(-5))}`,
        );
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async port(): Promise<number> {
    const line = await this.waitFor((l) => typeof l.port === "number");
    return line.port as number;
  }
}
