/** Pieces shared by every kind of synthetic event. */

import type { AuditActor, AuditEvent, AuditItem } from "./audit-json.js";
import type { Person, Roster, Site } from "./people.js";
import { COUNTRIES, type Location, locationIn } from "./places.js";
import type { Workday } from "./plan.js";
import { at, hashString, type Rng } from "./prng.js";

/** What the org's state is: everything an event generator may read. */
export interface GenContext {
  /** Hash of the seed. */
  readonly seed: number;
  readonly orgId: string;
  readonly orgName: string;
  readonly mcpActionKey: string;
  /** The key an action is served under (itself, unless the org obfuscates its keys). */
  actionKeyOf(key: string): string;
  readonly roster: Roster;
  /** Per site, the index of the event that first authorizes the Atlassian MCP app there. */
  readonly authIndexes: readonly number[];
  /** People who call MCP tools by event `index` (the same array while the set is unchanged). */
  mcpUsersAt(index: number): readonly Person[];
  /** Sites where the Atlassian MCP app was authorized before event `index`. */
  mcpSitesAt(index: number): readonly Site[];
  /** The realistic profile's cast and incidents; absent: the steady profile. */
  readonly workday?: Workday;
  /** When event `index` is processed. */
  processedAtOf(index: number): number;
  /** processedAt of event 0, and the gap between events. */
  readonly start: number;
  readonly intervalMs: number;
}

/** An event without its id, timestamps and links (added by generate.ts). */
export interface Draft {
  action: string;
  actor: AuditActor;
  context: AuditItem[];
  container: AuditItem[];
  location?: Location;
  message?: AuditEvent["message"];
}

export function siteItem(site: Site): AuditItem {
  return {
    id: site.cloudId,
    type: "sites",
    attributes: { siteHostName: site.siteHostName, siteName: site.siteName },
    links: {},
  };
}

export function orgItem(ctx: GenContext): AuditItem {
  return { id: ctx.orgId, type: "orgs", attributes: { name: ctx.orgName } };
}

const PRODUCT_NAMES: Record<string, string> = {
  jira: "Jira",
  confluence: "Confluence",
  compass: "Compass",
};

export function productItem(product: string): AuditItem {
  return {
    id: product,
    type: "products",
    attributes: { productName: PRODUCT_NAMES[product] ?? product },
  };
}

export function userLinks(id: string): { self: string } {
  return { self: `https://api.atlassian.com/users/${encodeURIComponent(id)}/manage/profile` };
}

export function personActor(person: Person): AuditActor {
  return { id: person.id, name: person.name, email: person.email, links: userLinks(person.id) };
}

/** Mostly home, sometimes a second country, rarely somewhere new. */
export function personLocation(person: Person, rng: Rng): Location {
  const roll = rng.next();
  const country =
    roll < 0.005
      ? rng.int(COUNTRIES.length)
      : person.otherCountry !== undefined && roll < 0.25
        ? person.otherCountry
        : person.homeCountry;
  return locationIn(at(COUNTRIES, country), hashString(person.id), country, rng);
}

export function message(content: string): AuditEvent["message"] {
  return { content, format: "simple" };
}

const weightTables = new WeakMap<readonly Person[], readonly (readonly [Person, number])[]>();

/** By activity weight (the weight table is built once per list). */
export function pickPerson(people: readonly Person[], rng: Rng): Person {
  let table = weightTables.get(people);
  if (!table) {
    table = people.map((p) => [p, p.weight] as const);
    weightTables.set(people, table);
  }
  return rng.weighted(table);
}

export function pickAdmin(roster: Roster, rng: Rng): Person {
  const admins = roster.people.filter((p) => p.admin);
  return rng.pick(admins.length > 0 ? admins : roster.people);
}
