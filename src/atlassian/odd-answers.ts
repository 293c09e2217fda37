import { AtlassianError } from "./errors.js";

/** Answers that are not the API's, said as what they are rather than as a refusal or bad JSON. */

export function isHtml(response: Response): boolean {
  return /^text\/html\b/i.test(response.headers.get("content-type") ?? "");
}

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
  return new AtlassianError(
    "redirected",
    `${label} answered ${response.status} to ${to}: set ATLASSIAN_API_BASE_URL to it if it is Atlassian's (the API key is not sent there otherwise)`,
    { status: response.status },
  );
}
