import { randomBytes } from "node:crypto";
import { createInterface, type Interface } from "node:readline";
import type { Readable } from "node:stream";
import type { Config } from "../config.js";
import type { OnDemand } from "../digest/schedule.js";
import { Secret } from "../secret.js";
import { PROMPT_HELP, parseLine } from "./prompt.js";
import { COLOURS, PLAIN } from "./render.js";
import { ConsoleRequests } from "./requests.js";
import { CONSOLE_CHANNEL, ConsoleSlack, type ConsoleUser } from "./slack-api.js";
import { Terminal } from "./terminal.js";

/** What the `digest` line says. */
const DIGEST_NOW: Record<OnDemand, string> = {
  queued: "preparing the digest…",
  exists: "that digest exists already",
  backfilling: "not yet: the history is still being read (a digest now would leave it out)",
};

export interface ConsoleChannelOptions {
  readonly user: ConsoleUser;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where digest charts and CSV exports are saved. */
  readonly filesDir: string;
  /** The files are kept when the run ends. */
  readonly keepFiles?: boolean;
}

export interface ConsoleChannel {
  /** The Slack part of the configuration: the app talks to the console instead of Slack. */
  readonly slack: Config["slack"];
  /**
   * Opens the prompt once the app listens on `appPort`; resolves when the person types quit.
   * `digestNow` makes the `digest` line work.
   */
  prompt(appPort: number, digestNow: () => Promise<OnDemand>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Slack replaced by the terminal: alerts, thread replies, digests and private replies are printed,
 * and a prompt sends the app what Slack would (signed commands and button presses).
 */
export async function startConsoleChannel(o: ConsoleChannelOptions): Promise<ConsoleChannel> {
  const style = o.output.isTTY ? COLOURS : PLAIN;
  const interactive = o.output.isTTY === true;
  let rl: Interface | undefined;
  /** Output arriving while the prompt waits is written above it, and the prompt drawn again. */
  const write = (text: string) => {
    if (!rl || !interactive) {
      o.output.write(text);
      return;
    }
    o.output.write("\r\u001b[K");
    o.output.write(text);
    rl.prompt(true);
  };
  const names = (id: string) => (id === o.user.id ? o.user.name : id);
  const terminal = new Terminal({
    write,
    style,
    filesDir: o.filesDir,
    names,
    ...(o.keepFiles ? { keepFiles: true } : {}),
  });
  const slack = new ConsoleSlack(terminal, o.user);
  await slack.start();
  const signingSecret = randomBytes(24).toString("hex");

  return {
    slack: {
      botToken: new Secret("xoxb-console"),
      appToken: undefined,
      signingSecret: new Secret(signingSecret),
      apiUrl: slack.apiUrl,
      alertChannel: CONSOLE_CHANNEL,
      responders: [],
    },
    prompt(appPort, digestNow) {
      const requests = new ConsoleRequests({
        eventsUrl: `http://127.0.0.1:${appPort}/slack/events`,
        signingSecret,
        slack,
      });
      const say = (text: string) => write(`${text}\n`);
      return new Promise<void>((resolve) => {
        rl = createInterface({
          input: o.input,
          output: o.output,
          prompt: "mcp-activity> ",
          terminal: interactive,
        });
        const prompt = () => {
          if (interactive) rl?.prompt();
        };
        const done = () => {
          rl?.close();
          rl = undefined;
          resolve();
        };
        rl.on("SIGINT", done);
        rl.on("close", () => {
          rl = undefined;
        });
        rl.on("line", (line) => {
          handle(line).then(prompt, (error: unknown) =>
            say(`could not reach the app: ${(error as Error).message}`),
          );
        });
        say(PROMPT_HELP);
        prompt();

        async function handle(line: string): Promise<void> {
          const action = parseLine(line);
          switch (action.kind) {
            case "command":
              return requests.command(action.text);
            case "press": {
              const pressable = terminal.find(action.word, action.id, action.option);
              if (pressable) return requests.press(pressable);
              if (action.id && !terminal.shown(action.id))
                return say(
                  `alert ${action.id} is not in the channel (not posted yet, below minSeverity, of a digest-mode rule, or no such alert): only alerts shown here have buttons`,
                );
              return say(
                action.id
                  ? `alert ${action.id} has no "${[action.word, action.option].filter(Boolean).join(" ")}" button here`
                  : `the last reply has no "${action.word}" button`,
              );
            }
            case "digest":
              say(DIGEST_NOW[await digestNow()]);
              return;
            case "help":
              return say(PROMPT_HELP);
            case "quit":
              return done();
            case "unknown":
              return say(action.message);
            case "nothing":
              return;
          }
        }
      });
    },
    close: async () => {
      rl?.close();
      // A pipe or terminal left open would keep the process alive after the app stopped.
      (o.input as Partial<Readable>).destroy?.();
      await slack.close();
    },
  };
}
