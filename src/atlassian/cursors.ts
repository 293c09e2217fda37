import { AtlassianError } from "./errors.js";

/**
 * A request by cursor refused with 400 or 410, whatever the body (ADMIN-400-1, another code, 410
 * Gone, a gateway's HTML page): the cursor is taken as dead, and the poll reads by time again.
 */
export function cursorRefused(error: unknown): unknown {
  if (!(error instanceof AtlassianError) || error.kind !== "bad-request") return error;
  if (error.status !== 400 && error.status !== 410) return error;
  return new AtlassianError(
    "invalid-cursor",
    `${error.message}: the stream cursor is no longer taken`,
    { status: error.status, cause: error },
  );
}

/**
 * `meta.next` is a cursor, or (as `links.next` always is) a URL whose `cursor` parameter is one.
 */
export function cursorOf(
  metaNext: string | undefined,
  linksNext: string | undefined,
): string | undefined {
  if (metaNext) return cursorInUrl(metaNext) ?? metaNext;
  return linksNext ? cursorInUrl(linksNext) : undefined;
}

/** The `cursor` parameter of a URL, absolute or relative ("?cursor=…"); undefined if none. */
function cursorInUrl(text: string): string | undefined {
  try {
    return new URL(text, "http://relative.invalid").searchParams.get("cursor") ?? undefined;
  } catch {
    return undefined;
  }
}
