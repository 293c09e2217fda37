/** Defensive readers for the optional, any-shaped parts of an audit event. */

export type Fields = Readonly<Record<string, unknown>>;

/** One `context[]` or `container[]` entry. */
export interface Item {
  readonly id: string | null;
  readonly type: string | null;
  readonly attributes: Fields;
}

export function record(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Fields)
    : undefined;
}

/** A trimmed non-empty string, or null. A finite number is its digits: ids come as either (`"pageId": 123456`). */
function text(value: unknown): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** `text(parent[a][b]…)`: a string (or number) at a path, or null when any step is missing or not an object. */
export function at(parent: unknown, ...path: string[]): string | null {
  let current: unknown = parent;
  for (const key of path) current = record(current)?.[key];
  return text(current);
}

/**
 * A `context` or `container` read as items. A single object is a list of one (JSON:API writes a
 * to-one relationship so); any other shape gives none, and `itemsProblem` says so at the edge.
 */
export function items(value: unknown): Item[] {
  const entries = Array.isArray(value)
    ? value
    : value === undefined || value === null
      ? []
      : [value];
  const result: Item[] = [];
  for (const entry of entries) {
    const fields = record(entry);
    if (fields)
      result.push({
        id: text(fields.id),
        type: text(fields.type),
        attributes: record(fields.attributes) ?? {},
      });
  }
  return result;
}

/**
 * Why `items(value)` would leave something out (a string, a list holding a number), or null. A
 * null in a list carries nothing to leave out.
 */
export function itemsProblem(value: unknown, where: string): string | null {
  if (value === undefined || value === null || record(value)) return null;
  if (!Array.isArray(value)) return `${where}: must be a list or an object, got ${kindOf(value)}`;
  const at = value.findIndex((entry) => entry !== null && !record(entry));
  return at < 0 ? null : `${where}.${at}: must be an object, got ${kindOf(value[at])}`;
}

/** What a JSON value is, in a reason's words: "null", "a list", "an object", "a number", … */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return typeof value === "number" ? `a number (${value})` : `a ${typeof value}`;
}

/** The items of an event's raw JSON (context, then container); none when it does not parse. */
export function rawItems(raw: string): Item[] {
  try {
    const attributes = record(record(JSON.parse(raw))?.attributes);
    return [...items(attributes?.context), ...items(attributes?.container)];
  } catch {
    return [];
  }
}

/** The first non-empty string (or number) among `keys` of `attributes`. */
export function firstText(attributes: Fields | undefined, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = text(attributes?.[key]);
    if (value) return value;
  }
  return null;
}
