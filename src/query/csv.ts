import type { CsvEvent } from "../domain/activity.js";

export const CSV_HEADER = [
  "time",
  "user",
  "email",
  "tool",
  "class",
  "product",
  "resource",
  "site",
  "ip",
  "country",
  "auth",
  "ai_tool",
  "action",
  "event_id",
  "operation",
  "tool_guessed",
] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: a formula hidden behind them is one still
const FORMULA = /^(?:[\t\r]|[\u0000-\u0020\u007f-\u009f]*[=+\-@])/;

/**
 * One CSV field: quoted when it holds a comma, quote or line break, and prefixed with `'` when a
 * spreadsheet would take it for a formula (values come from the audit log, i.e. from anyone) —
 * also behind control characters and spaces, which a terminal's copy drops or a sheet skips.
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(e: CsvEvent): string {
  return [
    new Date(e.time).toISOString(),
    e.userName,
    e.userEmail,
    e.tool,
    e.toolClass,
    e.product,
    e.resource,
    e.siteHost,
    e.ip,
    e.country,
    e.authKind,
    e.clientApp,
    e.action,
    e.id,
    e.innerTool,
    e.toolGuessed ? "true" : "false",
  ]
    .map(csvField)
    .join(",");
}

/** The whole file, streamed from chunks of events (without its header: the lines after it). */
export function* csvLines(chunks: Iterable<readonly CsvEvent[]>, header = true): Generator<string> {
  if (header) yield `${CSV_HEADER.join(",")}\r\n`;
  for (const chunk of chunks) for (const event of chunk) yield `${csvRow(event)}\r\n`;
}
