/** Paths into JSON values, and copies changed at one path: the mutations the properties try. */

export type Path = readonly (string | number)[];

/** Every path inside a JSON value, the root excluded. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const path = [...prefix, key];
    return [path, ...pathsOf((value as Record<string | number, unknown>)[key], path)];
  });
}

/** The value at `path`, or undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: Path): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** A copy of `value` with the part at `path` removed or replaced (a new key where none was). */
export function mutate(
  value: unknown,
  path: Path,
  change: { remove: true } | { with: unknown },
): unknown {
  const copy = structuredClone(value);
  const parent = valueAt(copy, path.slice(0, -1));
  const last = path.at(-1);
  if (typeof parent !== "object" || parent === null || last === undefined) return copy;
  const target = parent as Record<string | number, unknown>;
  if ("remove" in change) {
    if (Array.isArray(target) && typeof last === "number") target.splice(last, 1);
    else delete target[last];
  } else {
    // defineProperty, so that a "__proto__" key becomes data, as JSON.parse makes it.
    Object.defineProperty(target, last, {
      value: change.with,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
