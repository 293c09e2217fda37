import { CONTROLS, HIDDEN, withoutHidden } from "./hidden-characters.js";

/**
 * Audit data printed on an operator's terminal as Slack shows it: an escape sequence in a page
 * title must not move the cursor, change colours or retitle the window, nor may a bidirectional
 * override show an e-mail address backwards or an invisible character hide in a name
 * (`HIDDEN`).
 */
export function forTerminal(text: string): string {
  return withoutHidden(text);
}

/**
 * A line of a file written to stdout (a CSV export): the data as stored, but for the control
 * characters a terminal would act on, should it be shown there.
 */
export function withoutControls(text: string): string {
  return text.replace(CONTROLS, "");
}

/**
 * Text someone gave, said back to them: what would act on a terminal or show nothing (`HIDDEN`)
 * spelled out, so that an escape sequence shows as `\u001b[2J` rather than clearing the screen.
 */
export function spelledOut(text: string): string {
  return text.replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `spelledOut`, in quotes: `org-1` read from a file with Windows line ends is `"org-1\r"`. */
export function quotedVisibly(text: string): string {
  return spelledOut(JSON.stringify(text));
}

/** `forTerminal` on every string inside a value (message blocks, a reply's body). */
export function deepForTerminal<T>(value: T): T {
  if (typeof value === "string") return forTerminal(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepForTerminal(v)) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepForTerminal(v)])) as T;
  return value;
}
