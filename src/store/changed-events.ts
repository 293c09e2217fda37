import type { NormalizedEvent } from "../domain/event.js";
import type { Db } from "./db.js";
import type { RawBlockReader } from "./event-rows.js";

/** An event that came again under an id already stored, with other content: the first is kept. */
export interface ChangedEvent {
  readonly orgId: string;
  readonly id: string;
  /** The top-level fields that differ (`attributes.*` by attribute), never their values. */
  readonly fields: readonly string[];
}

/**
 * The version of an event kept, looked up by its id: whether one is, and (only then) whether the
 * event came with other content, noted in `changed` for the caller to take out.
 */
export class KeptVersions {
  readonly changed: ChangedEvent[] = [];
  private readonly stored;

  constructor(
    db: Db,
    private readonly blocks: RawBlockReader,
  ) {
    this.stored = db.prepare<[number, number, Buffer | string], { block: number; index: number }>(
      "SELECT raw_block AS block, raw_index AS 'index' FROM event_rows WHERE id_key = ? AND +org = ? AND id = ?",
    );
  }

  /** Whether `event` is kept already: `earlier` in the same call, or stored. */
  already(
    earlier: NormalizedEvent | undefined,
    key: number,
    org: number,
    id: Buffer | string,
    event: NormalizedEvent,
  ): boolean {
    if (earlier) {
      noteIfChanged(() => earlier.raw, event, this.changed);
      return true;
    }
    const found = this.stored.get(key, org, id);
    if (found) noteIfChanged(() => this.blocks.raw(found.block, found.index), event, this.changed);
    return found !== undefined;
  }
}

/**
 * Adds `event` to `into` when its raw JSON differs from `stored()`'s, the version kept, other than
 * in spacing and the order of keys. Read only for an id already stored: the common duplicate, the
 * same text again, costs one comparison of strings.
 */
export function noteIfChanged(
  stored: () => string,
  event: NormalizedEvent,
  into: ChangedEvent[],
): void {
  let before: string;
  try {
    before = stored();
  } catch {
    return; // its raw JSON no longer readable: nothing to compare with
  }
  if (before === event.raw) return;
  const fields = changedFields(before, event.raw);
  if (fields.length > 0) into.push({ orgId: event.orgId, id: event.id, fields });
}

/** The top-level fields (and attributes) whose values differ between two JSON texts. */
export function changedFields(before: string, after: string): string[] {
  let a: unknown;
  let b: unknown;
  try {
    a = JSON.parse(before);
    b = JSON.parse(after);
  } catch {
    return ["(not JSON)"];
  }
  const fields = differing(a, b, "");
  const attributes = fields.indexOf("attributes");
  if (attributes >= 0) {
    const inner = differing(field(a, "attributes"), field(b, "attributes"), "attributes.");
    if (inner.length > 0) fields.splice(attributes, 1, ...inner);
  }
  return fields;
}

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

/** The keys of two objects whose values differ, with `prefix`; [""] when either is no object. */
function differing(a: unknown, b: unknown, prefix: string): string[] {
  if (!isObject(a) || !isObject(b))
    return same(a, b) ? [] : [prefix.replace(/\.$/, "") || "(whole)"];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((key) => !same(a[key], b[key])).map((key) => `${prefix}${key}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep equality of parsed JSON values, keys in any order. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => same(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => key in b && same(a[key], b[key]));
}
