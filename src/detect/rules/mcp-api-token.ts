import type { StoredEvent } from "../../domain/event.js";
import { personKey } from "../../domain/person-key.js";
import { DAY, HOUR } from "../../time-units.js";
import type { Facts, Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

/** Calls in an hour above which an account's use is a spike (and at least 3× its usual). */
const SPIKE_MIN = 100;
const SPIKE_FACTOR = 3;

/** How far an account's calls reach: reads, writes or destructive calls. */
const tier = (event: StoredEvent) =>
  event.toolClass === "write" || event.toolClass === "destructive" || event.toolClass === "admin"
    ? event.toolClass
    : "read";

/**
 * The account's calls in the hour holding the event, when that hour is a spike against its usual
 * (the week before): an account with no calls that week has no usual, and its first use is the
 * pattern's own alert, which counts its calls as it grows.
 */
function spikeOf(facts: Facts): number | undefined {
  const volume = facts.volume;
  return volume !== undefined &&
    volume.perHourBefore > 0 &&
    volume.lastHour > Math.max(SPIKE_MIN, SPIKE_FACTOR * volume.perHourBefore)
    ? volume.lastHour
    : undefined;
}

/** An account's pattern of use: what it does and where, with `spike` saying whether it spiked. */
const pattern = (event: StoredEvent, spike: string) =>
  [personKey(event), tier(event), event.siteHost ?? "", spike].join("|");

/**
 * An account's pattern of use, and whether it spiked that (UTC) day. A steady integration's busy
 * hours are one spike a day per pattern, not one an hour; a new class or site is its own pattern
 * even in a spike's hour, never absorbed into an earlier spike.
 */
const tokenPattern = (event: StoredEvent, facts: Facts): string =>
  pattern(event, spikeOf(facts) === undefined ? "" : `spike@${Math.floor(event.time / DAY)}`);

/** An account's spikes of a pattern, whatever the day; undefined for its ordinary use. */
const spikes = (event: StoredEvent, facts: Facts): string | undefined =>
  spikeOf(facts) === undefined ? undefined : pattern(event, "spike");

export const mcpApiToken: Rule<Record<string, never>> = {
  id: "mcp-api-token",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "An MCP call authenticated with an API token: it runs as the token's account, the real end user is unknown, and AI domain allowlists do not apply.",
  needs: ["volume", "tokenHistory"],
  // An account that uses a token is one fact: alerted on its first live use, and again only when
  // its pattern changes (a new class of tool, a new site, or a spike in volume, once a day).
  defaultMode: { kind: "once", days: null },
  subject: tokenPattern,
  subjectName: "account and pattern of use",
  // A spike groups by its run, not its day: a job running past midnight UTC is one alert.
  groupSubject: spikes,
  // A mute set from a spike's alert covers the pattern's spikes whatever the day (the next
  // night's same job), and one set from its ordinary use never covers its spikes (a stolen token's).
  quietSubject: spikes,
  settings: noSettings,
  evaluate(event, facts) {
    if (!event.isMcp || event.authKind !== "api-token") return null;
    const detail = {
      tool: event.tool,
      token: event.tokenLabel,
      ...(facts.tokenHistory ? { seenInHistory: facts.tokenHistory } : {}),
    };
    const spike = spikeOf(facts);
    const end = facts.volume?.lastHourEnd;
    if (spike === undefined)
      return { title: `MCP call with an API token as ${who(event)}`, detail };
    return {
      title: `Spike of MCP calls with an API token as ${who(event)}: ${spike} in an hour`,
      detail: { ...detail, calls: spike },
      figure: spike,
      ...(end === undefined ? {} : { counted: { from: end - HOUR, to: end } }),
    };
  },
};
