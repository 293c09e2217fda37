/**
 * The realistic profile's rates, over 28 simulated days: a property of the generator (counted
 * from the events it makes), not a timing.
 */
import { describe, expect, it } from "vitest";
import { SyntheticOrg } from "../../src/simulator/org.js";
import { COUNTRIES } from "../../src/simulator/places.js";
import { DAY, HOUR } from "../../src/time-units.js";

const START = Date.UTC(2026, 10, 2); // a Monday

describe("the realistic profile over 28 days", () => {
  it("has a company's rates, quiet nights and weekends, and its seeded incidents", () => {
    const people = 60;
    const org = new SyntheticOrg({
      seed: 9,
      people,
      profile: "realistic",
      start: START,
      intervalMs: 8_000,
    });
    const days = 28;
    const count = org.countAtOrBefore(START + days * DAY - 1);
    const perUserDay = new Map<string, number>();
    const calls = { total: 0, writes: 0, destructive: 0, weekend: 0, night: 0, token: 0 };
    const tokenAccounts = new Set<string>();
    let settings = 0;
    const awayDays = new Set<string>();
    const firstCall = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const g = org.describe(i);
      const at = org.processedAtOf(i);
      const day = Math.floor((at - START) / DAY);
      const weekday = new Date(at).getUTCDay();
      const hour = new Date(at).getUTCHours();
      if (g.kind === "settings") settings++;
      if (!g.mcp) continue;
      calls.total++;
      if (g.mcp.toolClass === "write") calls.writes++;
      if (g.mcp.toolClass === "destructive") calls.destructive++;
      if (g.mcp.authType === "api-token") {
        calls.token++;
        tokenAccounts.add(g.mcp.actorId);
        continue;
      }
      if (weekday === 0 || weekday === 6) calls.weekend++;
      else if (hour < 6 || hour >= 21) calls.night++;
      const user = g.mcp.userId ?? "";
      if (!firstCall.has(user)) firstCall.set(user, day);
      if (weekday !== 0 && weekday !== 6)
        perUserDay.set(`${user}|${day}`, (perUserDay.get(`${user}|${day}`) ?? 0) + 1);
      // A day away: a call from neither the person's home nor their usual second country.
      const country = g.event.attributes.location?.countryName ?? "";
      const person = org.roster.people.find((p) => p.id === user);
      const usual = [person?.homeCountry, person?.otherCountry].map((c) =>
        c === undefined ? undefined : COUNTRIES[c]?.countryName,
      );
      if (!usual.includes(country)) awayDays.add(`${user}|${day}`);
    }
    const users = new Set([...perUserDay.keys()].map((k) => k.split("|")[0]));
    // About a third of the people use MCP, 50–300 calls each per working day (most days).
    expect(users.size / people).toBeGreaterThan(0.25);
    expect(users.size / people).toBeLessThan(0.45);
    const daily = [...perUserDay.values()].sort((a, b) => a - b);
    const median = daily[Math.floor(daily.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(50);
    expect(median).toBeLessThanOrEqual(300);
    // Writes about a tenth; destructive calls a few a week per 100 people.
    expect(calls.writes / calls.total).toBeGreaterThan(0.05);
    expect(calls.writes / calls.total).toBeLessThan(0.15);
    const destructivePerWeekPer100 = (calls.destructive / (days / 7)) * (100 / people);
    expect(destructivePerWeekPer100).toBeGreaterThanOrEqual(0.5);
    expect(destructivePerWeekPer100).toBeLessThanOrEqual(10);
    // Nights and weekends are quiet.
    expect(calls.weekend / calls.total).toBeLessThan(0.08);
    expect(calls.night / calls.total).toBeLessThan(0.03);
    // A few service accounts with API tokens; settings a few times a month.
    expect(tokenAccounts.size).toBeGreaterThanOrEqual(2);
    expect(tokenAccounts.size).toBeLessThanOrEqual(5);
    expect(settings).toBeGreaterThanOrEqual(1);
    expect(settings).toBeLessThanOrEqual(12);
    // Someone works from a new country about once a quarter; a few new users a week.
    expect(awayDays.size).toBeGreaterThanOrEqual(1); // the seeded incident at least
    const quarters = (users.size * days) / 90; // person-quarters watched
    expect(awayDays.size).toBeLessThanOrEqual(3 * quarters + 1);
    const newcomers = [...firstCall.values()].filter((day) => day > 0).length;
    expect(newcomers / (days / 7)).toBeGreaterThanOrEqual(0.5);
    expect(newcomers / (days / 7)).toBeLessThanOrEqual(6);
    // Seeded incidents, each on its day.
    const incidents = org.incidents();
    expect(incidents.map((i) => i.kind).sort()).toEqual([
      "canary-read",
      "destructive-call",
      "first-use",
      "new-api-token-account",
      "new-country",
      "posture-drift",
      "read-burst",
      "scope-expansion",
      "settings-change",
    ]);
    for (const incident of incidents) {
      const index = org.indexOfId(incident.ids[0] ?? "");
      expect(index, incident.kind).toBeDefined();
      expect(Math.abs(org.processedAtOf(index ?? 0) - incident.at)).toBeLessThan(HOUR);
    }
    const burst = incidents.find((i) => i.kind === "read-burst");
    const burstCalls = (burst?.ids ?? []).map((id) => org.describe(org.indexOfId(id) ?? 0).mcp);
    expect(burstCalls.every((c) => c?.userId === burst?.actorId)).toBe(true);
  }, 60_000); // 28 simulated days: a few seconds, more on a busy machine
});
