import { AtlassianError } from "./errors.js";

/** Answers that are not the API's, said as what they are rather than as a refusal or bad JSON. */

/** A 200 with a web page: something between this machine and the API answered for it. */
export function htmlPage(label: string, response: Response, host: string): AtlassianError {
  const type = response.headers.get("content-type") ?? "no content-type";
  return new AtlassianError(
    "bad-response",
    `${label} answered an HTML page (${type}), not JSON: a proxy or captive portal between this machine and ${host}?`,
  );
}

/**
 * A redirect, not followed: fetch would drop the key on the way to another host, and that host's
 * 401 would read as the key refused. Where it leads is said, for the operator to set.
 */
export function redirected(label: string, response: Response, asked: string): AtlassianError {
  const location = response.headers.get("location");
  let to = "no address (no Location header)";
  try {
    if (location) to = new URL(location, asked).origin;
  } catch {
    to = "an address that does not parse";
  }
  // Redirects within the API's host were followed: still one here, they went round.
  const advice =
    to === new URL(asked).origin
      ? `, more than ${MAX_REDIRECTS} times in a row: check ATLASSIAN_API_BASE_URL and what stands in front of the API`
      : `: set ATLASSIAN_API_BASE_URL to it if it is Atlassian's (the API key is not sent there otherwise)`;
  return new AtlassianError(
    "redirected",
    `${label} answered ${response.status} to ${to}${advice}`,
    { status: response.status },
  );
}

/** Redirects followed within the API's own host: a trailing slash added, a path moved. */
export const MAX_REDIRECTS = 3;

/**
 * Where a redirect leads, when it stays on the API's host (the same host, or it over HTTPS): the
 * key may follow it there. Undefined for any other answer, or another host.
 */
export function redirectWithin(
  response: Response,
  asked: string,
  base: string,
): string | undefined {
  if (response.status < 300 || response.status >= 400) return undefined;
  const location = response.headers.get("location");
  if (!location) return undefined;
  try {
    const to = new URL(location, asked);
    const from = new URL(base);
    const sameHost =
      to.host === from.host && (to.protocol === from.protocol || to.protocol === "https:");
    // Credentials in it: fetch refuses such an address, and they must not reach a log line.
    const bare = to.username === "" && to.password === "";
    return sameHost && bare ? to.href : undefined;
  } catch {
    return undefined;
  }
}
