import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepForTerminal, forTerminal } from "../terminal-text.js";
import { buttonsOf, type ConsoleButton, renderBlocks, type Style } from "./render.js";
import { CONSOLE_CHANNEL, type ConsoleMessage, type ConsoleSink } from "./slack-api.js";

/** What to type for each alert button, followed by the alert number. */
export const ALERT_WORDS: Readonly<Record<string, string>> = {
  alert_acknowledge: "ack",
  alert_expected: "expected",
  alert_expected_mute: "mute",
  alert_true_positive: "true",
  alert_settings: "settings",
  alert_reopen: "reopen",
  alert_snooze: "snooze",
  ask_yes: "yes",
  ask_no: "no",
};

/** What to type for a button of alert `id`: "ack 3", or "snooze 3 4h" for a menu option. */
function wordsFor(button: ConsoleButton, id: string): string | undefined {
  const word = ALERT_WORDS[button.actionId];
  if (!word) return undefined;
  return button.option ? `${word} ${id} ${button.value.split(":")[1] ?? ""}h` : `${word} ${id}`;
}

/** What to type for the query buttons (they act on the latest reply). */
export const REPLY_WORDS: Readonly<Record<string, string>> = {
  query_more: "more",
  query_export: "export",
};

export interface TerminalOptions {
  readonly write: (text: string) => void;
  readonly style: Style;
  /** Where uploaded files (digest charts, CSV exports) are saved: a fresh folder of the run's own. */
  readonly filesDir: string;
  /** The files are kept when the run ends (`demo --keep`). */
  readonly keepFiles?: boolean;
  /** Display names for user ids in mentions. */
  readonly names: (id: string) => string;
  readonly now?: () => number;
}

/** A button that can be pressed from the prompt, and the message it sits on. */
export interface Pressable {
  readonly button: ConsoleButton;
  readonly message: ConsoleMessage | undefined;
}

/**
 * Shows the console channel: each post, edit, thread reply, private reply and file, readably,
 * and remembers the buttons so the prompt can press them by name.
 */
export class Terminal implements ConsoleSink {
  private readonly alertButtons = new Map<string, Pressable>();
  private replyButtons = new Map<string, Pressable>();
  private readonly alertOfTs = new Map<string, string>();
  private files = 0;

  constructor(private readonly o: TerminalOptions) {}

  /** Whether alert `id` was shown here (a low one, or one in digest mode, never is). */
  shown(id: string): boolean {
    return [...this.alertOfTs.values()].includes(id);
  }

  /** The button `word` of alert `id` ("ack 3", "snooze 3 4h"), or of the latest reply ("more"). */
  find(word: string, id?: string, option?: string): Pressable | undefined {
    if (id === undefined) return this.replyButtons.get(word);
    return this.alertButtons.get([word, id, option].filter(Boolean).join(" "));
  }

  message(raw: ConsoleMessage, change: "posted" | "updated"): void {
    const message = deepForTerminal(raw);
    const alertId = this.remember(message);
    const place = message.channel === CONSOLE_CHANNEL ? "#security" : "direct message";
    const parent = message.threadTs ? this.alertOfTs.get(message.threadTs) : undefined;
    const title =
      change === "updated"
        ? `${place} · alert ${alertId ?? ""} updated`
        : message.threadTs
          ? `${place} · thread${parent ? ` of alert ${parent}` : ""}`
          : `${place}${alertId ? ` · alert ${alertId}` : ""}`;
    const lines = renderBlocks(message.blocks, message.text, this.o.style, this.o.names, (b) =>
      alertId ? wordsFor(b, alertId) : undefined,
    );
    this.show(title, lines, message.threadTs ? "  ↳ " : "");
  }

  ephemeral(raw: { text: string; blocks: readonly unknown[] }): void {
    const body = deepForTerminal(raw);
    const replies = new Map<string, Pressable>();
    const lines = renderBlocks(body.blocks, body.text, this.o.style, this.o.names, (b) => {
      const word = REPLY_WORDS[b.actionId];
      if (word) replies.set(word, { button: b, message: undefined });
      return word;
    });
    this.replyButtons = replies;
    this.show("only you can see this", lines, "");
  }

  file(rawName: string, bytes: Buffer, rawComment: string | undefined): void {
    const name = forTerminal(rawName);
    const comment = rawComment === undefined ? undefined : forTerminal(rawComment);
    // A name of our own in the run's own folder, never one a file there already has.
    const path = join(
      this.o.filesDir,
      `${++this.files}-${name.replace(/[^\w.-]/g, "_").slice(0, 80)}`,
    );
    writeFileSync(path, bytes, { mode: 0o600, flag: "wx" });
    const lines = [
      ...(comment ? renderBlocks([], comment, this.o.style, this.o.names, () => undefined) : []),
      `${name} (${bytes.length} bytes) saved to ${path}${this.o.keepFiles ? "" : " (removed when this run ends)"}`,
    ];
    this.show("file", lines, "");
  }

  /** Notes the alert an alert message is about (its buttons carry the id); returns it. */
  private remember(message: ConsoleMessage): string | undefined {
    let alertId = this.alertOfTs.get(message.ts);
    // An edited message offers only its new buttons.
    for (const [key, pressable] of this.alertButtons)
      if (pressable.message?.ts === message.ts) this.alertButtons.delete(key);
    for (const button of buttonsOf(message.blocks)) {
      // "14.1764892800000:4": the alert's id, when it was raised, the option.
      const id = button.value.split(/[.:]/)[0] ?? "";
      const words = wordsFor(button, id);
      if (!words) continue;
      alertId = id;
      this.alertButtons.set(words, { button, message });
    }
    if (alertId) this.alertOfTs.set(message.ts, alertId);
    return alertId;
  }

  private show(title: string, lines: readonly string[], indent: string): void {
    const time = new Date((this.o.now ?? Date.now)()).toISOString().slice(11, 19);
    const rule = this.o.style.dim(`── ${title} · ${time} `.padEnd(60, "─"));
    this.o.write(`\n${indent}${rule}\n${lines.map((l) => `${indent}${l}`).join("\n")}\n`);
  }
}
