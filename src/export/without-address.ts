/**
 * EXPORT_URL cut out of a text shown in the log, /healthz and `status`: its path and query may
 * hold a token (a Zapier hook's ids, a collector's key), whatever their length or letters. Pure.
 */

/** Parts of a path or query this short are no token ("api", "v1"). */
const SHORT_PART = 4;

/**
 * `text` with the address, as given or as parsed, replaced by its origin (no path, no password),
 * and its path and query (with or without a trailing slash) and the query's values, as given or
 * decoded, by "…". For a text of the bot's own words, which name no part of the address alone.
 */
export function withoutAddress(text: string, url: string): string {
  const parsed = new URL(url);
  let out = text;
  for (const address of new Set([url, parsed.href]))
    out = out.replace(new RegExp(`${escaped(address)}(?![\\w/.~%-])`, "g"), parsed.origin);
  return cut(out, wholes(parsed));
}

/**
 * `withoutAddress`, and each part of the path of SHORT_PART characters or more cut too: for what a
 * receiver said, which may quote a part alone ("no hook ab3x9qz").
 */
export function withoutAddressOrParts(text: string, url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.split("/");
  return cut(withoutAddress(text, url), path);
}

/** The path and query of the address, whole, and the query's values. */
function wholes(parsed: URL): string[] {
  const path = parsed.pathname === "/" ? "" : parsed.pathname;
  return [
    `${path}${parsed.search}`,
    path,
    path.endsWith("/") ? path.slice(0, -1) : `${path}/`,
    parsed.search.slice(1),
    ...parsed.searchParams.values(),
  ];
}

/** `text` with each of `parts` (as given or decoded, the longest first) by "…". */
function cut(text: string, parts: readonly string[]): string {
  return [...new Set(parts.flatMap((p) => [p, decoded(p)]))]
    .filter((p) => p.length >= SHORT_PART)
    .sort((a, b) => b.length - a.length)
    .reduce((out, part) => out.replace(standingWhole(part), "…"), text);
}

/** `part` where it stands whole: a letter or digit at its edge is not one of a longer word. */
function standingWhole(part: string): RegExp {
  const before = /^[A-Za-z0-9]/.test(part) ? "(?<![A-Za-z0-9])" : "";
  const after = /[A-Za-z0-9]$/.test(part) ? "(?![A-Za-z0-9])" : "";
  return new RegExp(`${before}${escaped(part)}${after}`, "g");
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
