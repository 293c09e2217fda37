import { z } from "zod";

/**
 * A site in the rules file (`watch`, `posture.sites`) as people write it, a host name or an
 * address copied from the browser, read as its host name: "https://Legal.atlassian.net/wiki" →
 * "legal.atlassian.net". A value with no host name is refused.
 */

const EXPECTED = "expected a site host name such as acme.atlassian.net, or its address";

/** The lowercased host name of a host or an address; undefined when it names none. */
function hostOf(site: string): string | undefined {
  // A scheme is dropped and https put in its place: "acme.atlassian.net:443" keeps its port.
  const rest = site.trim().replace(/^[a-z][a-z0-9+.-]*:\/+/i, "");
  // "/wiki", or nothing after the scheme: WHATWG URLs would read the path as a host.
  if (rest === "" || rest.startsWith("/")) return undefined;
  const address = `https://${rest}`;
  return URL.canParse(address) ? new URL(address).hostname.toLowerCase() || undefined : undefined;
}

export const siteHost = z.string({ error: EXPECTED }).transform((site, ctx) => {
  const host = hostOf(site);
  if (host === undefined) ctx.addIssue({ code: "custom", message: EXPECTED });
  // Compared as written with each event's site: a pattern would match none.
  else if (host.includes("*"))
    ctx.addIssue({ code: "custom", message: `${EXPECTED}: a wildcard matches no site, name each` });
  return host ?? "";
});
