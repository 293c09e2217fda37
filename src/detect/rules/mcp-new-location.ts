import { z } from "zod";
import { personKey } from "../../domain/person-key.js";
import { counted } from "../../words.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { positiveInt } from "./settings.js";

const settings = z.strictObject({
  lookbackDays: positiveInt.max(365, { error: "expected at most 365 days" }).default(90),
  by: z
    .enum(["country", "subnet", "either"], { error: "expected country, subnet or either" })
    .default("country"),
});

export type NewLocationSettings = z.infer<typeof settings>;

export const mcpNewLocation: Rule<NewLocationSettings> = {
  id: "mcp-new-location",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "An MCP call from a country (or IP /24) this person's MCP calls never came from in the look-back period: a stolen token or an unexpected machine.",
  needs: ["places"],
  // Once per person and new country (or new /24) within 30 days: a trip is one alert, not one a
  // day; each new network is one more.
  defaultMode: { kind: "once", days: 30 },
  subject: (event) => `${personKey(event)}|${event.country ?? event.ip ?? "?"}`,
  subjectName: "person and country or /24",
  // A new country cannot recur while it counts as seen: a mute set from its alert covers the
  // person's new networks in that country instead, for the mute's days.
  quietSubject: (event) =>
    event.country === null ? undefined : `${personKey(event)}|${event.country}`,
  settings,
  evaluate(event, facts, s) {
    const places = facts.places;
    if (!event.isMcp || !places) return null;
    // New only against earlier calls that said where they came from: a person's first call is
    // mcp-first-use's to report, and calls without a place (an API token's) tell nothing.
    const newCountry = event.country !== null && places.located && !places.countrySeen;
    const newSubnet = event.ip !== null && places.addressed && !places.subnetSeen;
    const hit =
      s.by === "country" ? newCountry : s.by === "subnet" ? newSubnet : newCountry || newSubnet;
    if (!hit) return null;
    const where = newCountry ? event.country : `${event.ip} (new /24)`;
    return {
      title: `MCP call by ${who(event)} from ${where}, not seen in ${counted(s.lookbackDays, "day")}`,
      detail: { country: event.country, city: event.city, ip: event.ip },
      // A new network in a country already seen is about that network.
      ...(newCountry ? {} : { subject: `${personKey(event)}|${network(event.ip ?? "")}` }),
    };
  },
};

/** An address's /24 (IPv4), or its first three groups (IPv6). */
function network(ip: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
  if (ip.includes(":")) return `${ip.split(":").slice(0, 3).join(":")}::/48`;
  return ip;
}
