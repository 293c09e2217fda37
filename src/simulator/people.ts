/** The org's cast: people, service accounts, AI apps and sites, all derived from the seed. */

import { COUNTRIES } from "./places.js";
import { at, hashInts, hashString, hexFrom, Rng, uuidFrom } from "./prng.js";

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** Org admins change settings and authorize apps. */
  readonly admin: boolean;
  readonly homeCountry: number;
  /** A second country some people also work from. */
  readonly otherCountry?: number;
  /** Index into apps: the AI tool they mostly use, and another one. */
  readonly apps: readonly [number, number];
  /** Event index from which they call MCP tools; null: never. */
  readonly mcpSince: number | null;
  /** Relative activity. */
  readonly weight: number;
}

export interface ServiceAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly tokenId: string;
  readonly tokenLabel: string;
}

export interface AiApp {
  readonly id: string;
  readonly name: string;
  readonly share: number;
}

export interface Site {
  readonly cloudId: string;
  readonly siteHostName: string;
  readonly siteName: string;
  readonly projects: readonly (readonly [key: string, name: string])[];
  readonly spaces: readonly (readonly [key: string, name: string])[];
}

export interface Roster {
  readonly people: readonly Person[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly apps: readonly AiApp[];
  readonly sites: readonly Site[];
  /** The account that acts for a user in the few calls that carry `onBehalfOf`. */
  readonly mcpAccount: { readonly id: string; readonly name: string };
}

const NAMES = [
  "Alice Nakamura",
  "Bob Okafor",
  "Çarol Ñúñez",
  "Dmitri Volkov",
  "Elif Şahin",
  "François Lefèvre",
  "Grace O'Brien",
  "Hiroshi Tanaka",
  "Ingrid Bjørnsson",
  "José María García",
  "Katarzyna Wójcik",
  "Liam Murphy",
  "Mariana Conceição",
  "Nguyễn Văn An",
  "Olivia Smith",
  "Priya Raghunathan",
  "Quentin Dupré",
  "Rania Haddad",
  "Søren Østergaard",
  "Tomás Ó Súilleabháin",
  "Uma Patel",
  "Valentina Rossi",
  "Wei Zhang",
  "Xochitl Hernández",
  "Yusuf Demir",
  "Zoë Müller",
  "Ana-Maria Popescu",
  "Björn Ångström",
  "Chloé Martin",
  "Dev Anand",
];

const APPS: readonly (readonly [string, number])[] = [
  ["Claude", 35],
  ["Cursor", 25],
  ["ChatGPT", 20],
  ["GitHub Copilot", 12],
  ["Windsurf", 5],
  ["Gemini CLI", 3],
];

const SITES: readonly (readonly [string, Site["projects"], Site["spaces"]])[] = [
  [
    "",
    [
      ["OPS", "Operations"],
      ["ENG", "Engineering"],
      ["WEB", "Website"],
    ],
    [
      ["ENG", "Engineering"],
      ["OPS", "Ops runbooks"],
      ["HR", "People team"],
    ],
  ],
  [
    "-eng",
    [
      ["PLAT", "Platform"],
      ["DATA", "Data"],
      ["MOB", "Mobile"],
    ],
    [
      ["PLAT", "Platform"],
      ["ARCH", "Architecture"],
    ],
  ],
  [
    "-support",
    [
      ["SUP", "Support"],
      ["HELP", "Help center"],
    ],
    [
      ["KB", "Knowledge base"],
      ["SUP", "Support team"],
    ],
  ],
];

const FOLD: Record<string, string> = { ø: "o", ł: "l", đ: "d", æ: "ae", ß: "ss", ı: "i" };

/** "Çarol Ñúñez" → "carol.nunez". */
export function emailLocalPart(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[øłđæßı]/g, (c) => FOLD[c] ?? c)
    .replace(/[^a-z\s-]/g, "")
    .trim()
    .replace(/\s+/g, ".");
}

function accountId(hash: number): string {
  // Newer Atlassian account ids carry a "712020:" prefix; older ones are 24 hex digits.
  return hash % 3 === 0 ? hexFrom(hash, 24) : `712020:${uuidFrom(hash)}`;
}

function person(seed: number, k: number, rng: Rng): Person {
  const base = NAMES[k % NAMES.length] ?? "Sam Doe";
  const suffix = k < NAMES.length ? "" : String(Math.floor(k / NAMES.length) + 1);
  const name = suffix ? `${base} ${suffix}` : base;
  const domain = rng.chance(0.7) ? "acme.com" : "acme-labs.io";
  const primary = rng.weighted(APPS.map(([, share], i) => [i, share] as const));
  const roll = rng.next();
  const mcpSince = roll < 0.15 ? null : roll < 0.55 ? 0 : Math.floor(10 ** (1 + rng.next() * 3.7));
  return {
    id: accountId(hashInts(seed, k, 7)),
    name,
    email: `${emailLocalPart(base)}${suffix}@${domain}`,
    admin: k < 3,
    homeCountry: rng.int(COUNTRIES.length),
    ...(rng.chance(0.35) ? { otherCountry: rng.int(COUNTRIES.length) } : {}),
    apps: [primary, rng.int(APPS.length)],
    mcpSince: k === 0 ? 0 : mcpSince,
    weight: 1 + Math.floor(1 / (0.1 + rng.next() * 0.9)),
  };
}

export function buildRoster(seed: number, count: number, orgSlug = "acme"): Roster {
  const rng = new Rng(hashInts(seed, 0x0e01));
  const people = Array.from({ length: count }, (_, k) => person(seed, k, rng));
  const serviceAccounts = ["svc-automation", "svc-reporting"].map((name, k) => ({
    id: accountId(hashInts(seed, 1000 + k, 7)),
    name,
    email: `${name}@serviceaccount.atlassian.com`,
    tokenId: uuidFrom(hashInts(seed, 2000 + k)),
    tokenLabel: k === 0 ? "ci-mcp-agent" : "weekly-report-bot",
  }));
  const apps = APPS.map(([name, share]) => ({
    id: uuidFrom(hashString(`app:${name}`)),
    name,
    share,
  }));
  const sites = SITES.map(([suffix, projects, spaces], k) => ({
    cloudId: uuidFrom(hashInts(seed, 3000 + k)),
    siteHostName: `https://${orgSlug}${suffix}.atlassian.net`,
    siteName: `${orgSlug}${suffix}`,
    projects,
    spaces,
  }));
  return {
    people,
    serviceAccounts,
    apps,
    sites,
    mcpAccount: { id: accountId(hashInts(seed, 4000, 7)), name: "Atlassian MCP" },
  };
}

export function appOf(roster: Roster, index: number): AiApp {
  return at(roster.apps, index);
}
