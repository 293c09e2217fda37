/**
 * Audit data printed on an operator's terminal without its control characters: an escape
 * sequence in a page title must not move the cursor, change colours or retitle the window.
 * C0 controls but tab and line feed, DEL and C1 controls are removed.
 */
export function forTerminal(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is removed
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

/** `forTerminal` on every string inside a value (message blocks, a reply's body). */
export function deepForTerminal<T>(value: T): T {
  if (typeof value === "string") return forTerminal(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepForTerminal(v)) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepForTerminal(v)])) as T;
  return value;
}
