import { nearest } from "../nearest.js";
import { ALERT_WORDS, REPLY_WORDS } from "./terminal.js";

/** What a line typed at the console prompt asks for. */
export type PromptAction =
  | { readonly kind: "command"; readonly text: string }
  | {
      readonly kind: "press";
      readonly word: string;
      readonly id?: string;
      /** The menu option ("4h" of "snooze 3 4h"). */
      readonly option?: string;
    }
  | { readonly kind: "digest" }
  | { readonly kind: "help" }
  | { readonly kind: "quit" }
  | { readonly kind: "nothing" }
  | { readonly kind: "unknown"; readonly message: string };

const BUTTON_WORDS = Object.values(ALERT_WORDS);
const REPLY_BUTTON_WORDS = Object.values(REPLY_WORDS);
const WORDS = [...BUTTON_WORDS, ...REPLY_BUTTON_WORDS, "digest", "help", "quit", "/mcp-activity"];

export const PROMPT_HELP = `Type what you would in Slack:
  /mcp-activity since:1d class:write
                                   ask about MCP activity (also: user:…, tool:…, help, settings, status)
  ack 3 · expected 3 · mute 3 · true 3 · reopen 3 · settings 3 · snooze 3 4h
                                   press a button of alert 3 (snooze: 1h, 4h or 24h)
  yes 3 · no 3                     answer a direct message asking about alert 3
  more · export                    press a button of the last reply
  digest                           post the digest of the last 24 hours now
  help · quit                      this text · stop (Ctrl-C works too)`;

/** Reads one typed line; never throws. */
export function parseLine(line: string): PromptAction {
  const text = line.trim();
  if (text === "") return { kind: "nothing" };
  const command = /^\/?mcp-activity(?:\s+([\s\S]*))?$/i.exec(text);
  if (command) return { kind: "command", text: command[1]?.trim() ?? "" };
  const [word = "", id, ...rest] = text.toLowerCase().split(/\s+/);
  if (["help", "?"].includes(word) && id === undefined) return { kind: "help" };
  if (["quit", "exit"].includes(word) && id === undefined) return { kind: "quit" };
  if (word === "digest" && id === undefined) return { kind: "digest" };
  if (REPLY_BUTTON_WORDS.includes(word) && id === undefined) return { kind: "press", word };
  if (word === "settings" && (id === undefined || !/^\d+$/.test(id)))
    return { kind: "command", text: text.trim() };
  if (word === "snooze" && id !== undefined && /^\d{1,12}$/.test(id)) {
    const hours = /^(\d{1,2})h?$/.exec(rest[0] ?? "")?.[1];
    if (hours && rest.length === 1) return { kind: "press", word, id, option: `${hours}h` };
    return {
      kind: "unknown",
      message: "say for how long: `snooze 3 1h`, `snooze 3 4h` or `snooze 3 24h`",
    };
  }
  if (BUTTON_WORDS.includes(word)) {
    if (id !== undefined && /^\d{1,12}$/.test(id) && rest.length === 0)
      return { kind: "press", word, id };
    return { kind: "unknown", message: `say which alert: \`${word} 3\` presses it on alert 3` };
  }
  const guess = nearest(word, WORDS);
  return {
    kind: "unknown",
    message: `"${text.slice(0, 40)}" is not something I know${guess ? `; did you mean ${guess}?` : ""} (type help)`,
  };
}
