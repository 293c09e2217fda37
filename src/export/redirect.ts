/**
 * Where a redirect points, for the operator to set EXPORT_URL to: never followed (the batch and
 * its signature would go to another address). Said from EXPORT_URL, never as a path: EXPORT_URL's
 * path may hold a token, and so may the Location's. Pure.
 */
export function redirectLine(location: string | null, url: string): string {
  if (!location) return ", a redirect without a Location";
  let to: URL;
  try {
    to = new URL(location, url);
  } catch {
    return ", a redirect to an address that does not parse";
  }
  return `, a redirect to ${whereTo(new URL(url), to)} (not followed: set EXPORT_URL to it if the receiver is there)`;
}

/** `to` as EXPORT_URL (`from`) changed: its scheme, its trailing slash, its host or port. */
function whereTo(from: URL, to: URL): string {
  const path = pathChange(from.pathname, to.pathname);
  if (to.host !== from.host) {
    const at = path === undefined ? "another path" : `EXPORT_URL's path${path}`;
    const other = to.hostname === from.hostname ? "another port" : "another host";
    return `${other}, ${to.origin}, at ${at}`;
  }
  const over = to.protocol === from.protocol ? "" : ` over ${to.protocol.slice(0, -1)}`;
  if (path === undefined) return `another path on the same host${over}`;
  if (path !== "" || over !== "") return `EXPORT_URL${over}${path}`;
  return to.search === from.search ? "EXPORT_URL itself" : "EXPORT_URL with another query";
}

/** How the path `to` differs from `from`: "" not at all, by a trailing slash, else undefined. */
function pathChange(from: string, to: string): string | undefined {
  if (to === from) return "";
  if (to === `${from}/`) return " with a trailing slash";
  if (`${to}/` === from) return " without its trailing slash";
  return undefined;
}
