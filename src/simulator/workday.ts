/**
 * The realistic profile of the synthetic org: working days, quiet nights and weekends, and the
 * rates of a real company. About a third of people use MCP, 50–300 calls each per working day; a
 * few service accounts run hourly jobs with API tokens; writes are about a tenth of the calls,
 * destructive calls rare; settings change a few times a month; a person works from a new country
 * about once a quarter; a few people start using MCP each week; now and then a call goes to a v2
 * wrapper or new tool, an API token is named for an AI tool, two-step verification is turned off
 * (v2-traffic.ts). Inside that, incidents are seeded on fixed days: each must alert.
 */

import { DAY, HOUR, MINUTE } from "../time-units.js";
import { settingsChange } from "./admin-events.js";
import type { Draft, GenContext } from "./common.js";
import { type McpCallInfo, mcpCall } from "./mcp-call.js";
import { noise } from "./noise-events.js";
import type { Person, Roster, ServiceAccount } from "./people.js";
import { COUNTRIES } from "./places.js";
import type { Incident, Workday } from "./plan.js";
import { hashInts, hashString, Rng, uuidFrom } from "./prng.js";
import { SEEDED } from "./seeded-calls.js";
import type { ToolClass } from "./tools.js";
import { rareIdentityEvent, rareStream, v2Choice } from "./v2-traffic.js";

/** Relative activity by UTC hour on a working day (a working day's rates peak near 1). */
const HOURLY = [
  0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.15, 0.6, 1, 1, 1, 0.7, 1, 1, 1, 0.9, 0.5, 0.2, 0.08,
  0.05, 0.03, 0.02, 0.01,
];
/** Working hours that make up a day's calls (the sum of HOURLY). */
const WORKING_HOURS = HOURLY.reduce((a, b) => a + b, 0);
const WEEKEND = 0.03;
const CLASSES: readonly (readonly [ToolClass, number])[] = [
  ["read", 57],
  ["search", 33],
  ["write", 9.99],
  ["destructive", 0.012],
];
const JOB_CLASSES: readonly (readonly [ToolClass, number])[] = [
  ["read", 70],
  ["search", 30],
];
/** Calls of one scheduled job run, one a second or as the stream allows. */
const JOB_CALLS = 15;
const JOB_PERIOD = HOUR;
/** Settings changes per working day, on average (a few a month). */
const SETTINGS_PER_DAY = 0.15;
/** A person works from a new country about once a quarter. */
const TRAVEL_PER_DAY = 1 / 90;

const isWeekend = (ms: number) => {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
};

/** How busy the org is at `ms`, relative to a working day's peak hour. */
function activityAt(ms: number): number {
  const factor = HOURLY[new Date(ms).getUTCHours()] ?? 0;
  return isWeekend(ms) ? factor * WEEKEND : factor;
}

/**
 * The cast of the realistic profile: a third of people use MCP (three quarters from the start,
 * the others starting one every two days), each with 50–300 calls per working day.
 */
export function realisticCast(
  seed: number,
  roster: Roster,
  start: number,
  indexAt: (ms: number) => number,
  /** Days of history before the incidents begin. */
  historyDays = 0,
): Workday {
  const rng = new Rng(hashInts(seed, 0x3da7));
  const users = roster.people.filter((_, k) => k === 0 || hashInts(seed, k, 0x3dc) % 3 === 0);
  const late = Math.floor(users.length / 4);
  // Days after the start when each user makes their first call (0: from the start).
  const adoption = new Map(
    users.map((p, i) => [p.id, i < users.length - late ? 0 : 2 * (i - (users.length - late) + 1)]),
  );
  const newcomerId = users.find((p) => (adoption.get(p.id) ?? 0) >= 6 + historyDays)?.id;
  const FIRST_USE_HOUR = 9;
  const people = roster.people.map((p) => {
    const day = adoption.get(p.id);
    const since =
      day === undefined ? null : start + day * DAY + (day > 0 ? FIRST_USE_HOUR * HOUR : 0);
    return {
      ...p,
      mcpSince: since === null ? null : indexAt(since),
      weight: 50 + rng.int(251),
    };
  });
  const account = (name: string, label: string, k: number): ServiceAccount => ({
    id: `712020:${uuidFrom(hashInts(seed, 5000 + k, 7))}`,
    name,
    email: `${name}@serviceaccount.atlassian.com`,
    tokenId: uuidFrom(hashInts(seed, 6000 + k)),
    tokenLabel: label,
  });
  const serviceAccounts = [...roster.serviceAccounts, account("svc-sync", "nightly-sync", 0)];
  const newAccount = account("svc-export", "export-mcp-agent", 1);
  // Seeded incidents, each by someone who is not yet known for it.
  const regular = people.filter((p) => adoption.get(p.id) === 0 && p.id !== people[0]?.id);
  const newcomer = people.find((p) => p.id === newcomerId) ?? regular[0];
  const pick = (n: number) => regular[n % Math.max(1, regular.length)] ?? people[0];
  const id = (p: Person | undefined) => p?.id ?? "";
  const h = historyDays;
  const incidents: Incident[] = [
    { kind: "destructive-call", day: h + 3, hour: 10, events: 1, actorId: id(pick(1)) },
    {
      kind: "first-use",
      day: adoption.get(id(newcomer)) ?? h + 6,
      hour: FIRST_USE_HOUR,
      events: 1,
      actorId: id(newcomer),
    },
    { kind: "new-api-token-account", day: h + 9, hour: 11, events: 1, actorId: newAccount.id },
    { kind: "read-burst", day: h + 12, hour: 14, events: 160, actorId: id(pick(2)) },
    { kind: "new-country", day: h + 15, hour: 10, events: 1, actorId: id(pick(3)) },
    { kind: "settings-change", day: h + 22, hour: 15, events: 1, actorId: id(people[0]) },
    // A canary issue read; a space never touched, after weeks of history; a write on a site
    // outside any declared posture (and in no site the others use).
    { kind: "canary-read", day: h + 5, hour: 11, events: 1, actorId: id(pick(4)) },
    { kind: "scope-expansion", day: h + 18, hour: 10, events: 1, actorId: id(pick(5)) },
    { kind: "posture-drift", day: h + 20, hour: 13, events: 1, actorId: id(pick(6)) },
  ];
  return { people, serviceAccounts, newAccount, incidents };
}

/** The incident (and the step within it) that event time `ms` falls in, if any. */
function incidentAt(
  plan: Workday,
  start: number,
  intervalMs: number,
  ms: number,
): { incident: Incident; step: number } | undefined {
  for (const incident of plan.incidents) {
    const from = start + incident.day * DAY + incident.hour * HOUR;
    const step = Math.floor((ms - from) / intervalMs);
    if (step >= 0 && step < incident.events) return { incident, step };
  }
  return undefined;
}

/** Where a person works on an ordinary day: home, or the second country some have (a quarter of calls). */
function usualCountry(person: Person, rng: Rng): number {
  return person.otherCountry !== undefined && rng.chance(0.25)
    ? person.otherCountry
    : person.homeCountry;
}

/** A country this person has never worked from (for travel and the seeded incident). */
function elsewhere(person: Person, salt: number): number {
  for (let k = 0; k < COUNTRIES.length; k++) {
    const country = (hashInts(hashString(person.id), salt) + k) % COUNTRIES.length;
    if (country !== person.homeCountry && country !== person.otherCountry) return country;
  }
  return person.homeCountry;
}

export interface RealisticDraft {
  readonly kind: "mcp-call" | "settings" | "identity" | "noise";
  readonly draft: Draft;
  readonly mcp?: McpCallInfo;
}

/** The realistic event at `index`, processed at `ms`. */
export function realisticDraft(
  ctx: GenContext,
  plan: Workday,
  o: { start: number; intervalMs: number; index: number; ms: number },
  rng: Rng,
): RealisticDraft {
  const { index, ms } = o;
  const seeded = incidentAt(plan, o.start, o.intervalMs, ms);
  if (seeded) {
    const draft = incidentDraft(ctx, plan, seeded, index, rng);
    if (draft) return draft;
  }
  // Scheduled jobs: each account runs once an hour, at its own minute; the new one from its incident.
  const fresh = plan.incidents.find((i) => i.kind === "new-api-token-account");
  const accounts =
    fresh && ms >= o.start + fresh.day * DAY + fresh.hour * HOUR
      ? [...plan.serviceAccounts, plan.newAccount]
      : plan.serviceAccounts;
  for (const [k, account] of accounts.entries()) {
    const offset = ((hashString(account.id) % 50) + k * 3) * MINUTE;
    const into = (ms - offset) % JOB_PERIOD;
    if (into >= 0 && into < JOB_CALLS * Math.max(o.intervalMs, 1_000)) {
      const call = mcpCall(ctx, index, rng, { account, classes: JOB_CLASSES });
      if (call) return { kind: "mcp-call", draft: call.draft, mcp: call.info };
    }
  }
  const users = ctx.mcpUsersAt(index);
  const eventsPerHour = HOUR / o.intervalMs;
  const { callsPerDay, table } = weightsOf(users);
  const activity = activityAt(ms);
  const mcpShare = Math.min(0.95, (callsPerDay / WORKING_HOURS / eventsPerHour) * activity);
  const roll = rng.next();
  const rare = rareStream(ctx.seed, index);
  if (roll < mcpShare) {
    const person = users.length > 0 ? rng.weighted(table) : undefined;
    if (person) {
      const day = Math.floor((ms - o.start) / DAY);
      // The person of the seeded new-country incident does not travel: it stays new.
      const travelling =
        !plan.incidents.some((i) => i.kind === "new-country" && i.actorId === person.id) &&
        (hashInts(hashString(person.id), day, 0x7a1) % 1000) / 1000 < TRAVEL_PER_DAY;
      const country = travelling ? elsewhere(person, day) : usualCountry(person, rng);
      const choice = { person, classes: CLASSES, country, ...v2Choice(rare) };
      const call = mcpCall(ctx, index, rng, choice);
      if (call) return { kind: "mcp-call", draft: call.draft, mcp: call.info };
    }
  }
  const settingsShare = (SETTINGS_PER_DAY / WORKING_HOURS / eventsPerHour) * activity;
  if (roll > 1 - settingsShare) return { kind: "settings", draft: settingsChange(ctx, rng) };
  // Drawn only among the events left to noise: their share of the hour scales the chance up.
  const perEvent = activity / WORKING_HOURS / eventsPerHour / Math.max(0.05, 1 - mcpShare);
  const identity = rareIdentityEvent(ctx, index, rare, perEvent);
  if (identity) return { kind: "identity", draft: identity };
  return { kind: "noise", draft: noise(ctx, rng) };
}

const weightTables = new WeakMap<
  readonly Person[],
  { callsPerDay: number; table: readonly (readonly [Person, number])[] }
>();

/** The users' calls per working day together, and the table to pick one by weight (built once). */
function weightsOf(users: readonly Person[]) {
  let known = weightTables.get(users);
  if (!known) {
    known = {
      callsPerDay: users.reduce((sum, p) => sum + p.weight, 0),
      table: users.map((p) => [p, p.weight] as const),
    };
    weightTables.set(users, known);
  }
  return known;
}

function incidentDraft(
  ctx: GenContext,
  plan: Workday,
  { incident, step }: { incident: Incident; step: number },
  index: number,
  rng: Rng,
): RealisticDraft | undefined {
  const person = plan.people.find((p) => p.id === incident.actorId);
  switch (incident.kind) {
    case "settings-change":
      return { kind: "settings", draft: settingsChange(ctx, rng) };
    case "new-api-token-account": {
      const call = mcpCall(ctx, index, rng, { account: plan.newAccount, toolClass: "read" });
      return call && { kind: "mcp-call", draft: call.draft, mcp: call.info };
    }
    case "canary-read":
    case "scope-expansion":
    case "posture-drift": {
      const main = ctx.roster.sites[0];
      if (!person || !main) return undefined;
      const choice = SEEDED[incident.kind](main);
      const call = mcpCall(ctx, index, rng, { person, country: person.homeCountry, ...choice });
      return call && { kind: "mcp-call", draft: call.draft, mcp: call.info };
    }
    default: {
      if (!person) return undefined;
      const country =
        incident.kind === "new-country" ? elsewhere(person, 0x5eed) : usualCountry(person, rng);
      const toolClass =
        incident.kind === "destructive-call"
          ? ("destructive" as const)
          : incident.kind === "read-burst" && step % 2 === 1
            ? ("search" as const)
            : ("read" as const);
      const choice = { person, toolClass, country };
      const call = mcpCall(ctx, index, rng, choice);
      return call && { kind: "mcp-call", draft: call.draft, mcp: call.info };
    }
  }
}
