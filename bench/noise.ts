import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noiseOf, READABLE, verdict } from "../src/detect/budget.js";
import { DetectionEngine } from "../src/detect/engine.js";
import { parseRulesText } from "../src/detect/rules-file.js";
import type { Alert } from "../src/domain/alert.js";
import type { NormalizedEvent } from "../src/domain/event.js";
import { buildCatalog } from "../src/ingest/classify.js";
import { normalize } from "../src/ingest/normalize.js";
import { createLogger } from "../src/logger.js";
import { SyntheticOrg } from "../src/simulator/index.js";
import { AlertStore } from "../src/store/alerts.js";
import { EventActionStore } from "../src/store/event-actions.js";
import { EventStore } from "../src/store/events.js";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";
import { DAY, HOUR } from "../src/time-units.js";

const PEOPLE = 300;
/** The history fetched on first start (BACKFILL_DAYS' default), then the days watched live. */
const HISTORY_DAYS = 7;
const LIVE_DAYS = Number(process.env.NOISE_LIVE_DAYS ?? 28);
/** 2,400 events an hour: a 300-person company's MCP calls and the rest of its audit log. */
const INTERVAL_MS = 1_500;
const START = Date.UTC(2026, 10, 2); // a Monday

/** The rule each seeded incident must raise. */
const RULE_OF = {
  "destructive-call": "mcp-destructive",
  "first-use": "mcp-first-use",
  "new-api-token-account": "mcp-api-token",
  "read-burst": "mcp-burst",
  "new-country": "mcp-new-location",
  "settings-change": "mcp-settings-changed",
  "canary-read": "mcp-canary",
  "scope-expansion": "mcp-new-scope",
  "posture-drift": "mcp-posture-drift",
} as const;

/**
 * Default settings, and what an organization declares about itself: the canary the simulator
 * reads once, and the sites it uses (the seeded drift writes on another).
 */
function settingsFor(sites: readonly string[]) {
  return parseRulesText(
    [
      "watch:",
      "  - { issue: OPS-9001, canary: true }",
      "posture:",
      `  sites: [${sites.map((host) => JSON.stringify(host)).join(", ")}]`,
    ].join("\n"),
    "bench.yml",
  );
}

/**
 * The noise a channel gets at default settings: a simulated 300-person organization (the
 * realistic profile: working days, quiet nights and weekends, seeded incidents) with 7 days of
 * history, then 28 days watched live, the rules run each simulated hour as the bot runs them.
 * Prints the channel's messages a day (mean and worst day, the budget applied) and whether every
 * seeded incident was alerted.
 */
export async function benchNoise(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-noise-"));
  const db = openStore(join(dir, "noise.db"));
  const org = new SyntheticOrg({
    seed: 17,
    people: PEOPLE,
    profile: "realistic",
    start: START,
    intervalMs: INTERVAL_MS,
    historyDays: HISTORY_DAYS,
  });
  const settings = settingsFor(org.roster.sites.map((site) => site.siteHostName));
  const actions = org.catalog.map((c) => ({
    action: c.id,
    displayName: c.attributes.displayName ?? null,
    groupName: c.attributes.groupDisplayName ?? null,
  }));
  new EventActionStore(db).replace(org.orgId, actions, () => false, START);
  const catalog = buildCatalog(actions);
  const events = new EventStore(db);
  const clock = { now: () => START, sleep: async () => {} };
  const engine = new DetectionEngine({
    stores: repositories(db),
    clock,
    logger: createLogger({ level: "warn", format: "json", fd: 2 }),
    orgId: org.orgId,
    config: settings,
  });
  const liveFrom = START + HISTORY_DAYS * DAY;
  const end = liveFrom + LIVE_DAYS * DAY;
  const started = performance.now();
  let index = 0;
  // Hour by hour, as the poller stores what Atlassian processed and the rules run after it.
  for (let hour = START + HOUR; hour <= end; hour += HOUR) {
    const until = org.countAtOrBefore(hour - 1);
    const batch: NormalizedEvent[] = [];
    for (; index < until; index++) {
      const result = normalize(org.eventAt(index), {
        orgId: org.orgId,
        catalog,
        backfillUntil: liveFrom,
      });
      if (result.ok) batch.push(result.event);
    }
    db.transaction(() => events.insertMany(batch, hour))();
    clock.now = () => hour;
    if (hour > liveFrom) engine.run();
    if ((hour - START) % (7 * DAY) === 0)
      console.log(`  day ${(hour - START) / DAY}: ${index} events stored…`);
  }
  const seconds = (performance.now() - started) / 1000;
  const alerts = new AlertStore(db).list(org.orgId);
  const posted = alerts.filter((a) => a.notify);
  const noise = noiseOf(
    posted.map((a) => ({
      at: a.createdAt,
      severity: a.severity,
      aboutOrganization: a.aboutOrganization === true,
    })),
    settings.maxAlertsPerHour,
    liveFrom,
    end,
  );
  console.log(
    `${PEOPLE} people, ${HISTORY_DAYS} days of history then ${LIVE_DAYS} days live: ${index} events (${events.counts(org.orgId).mcp} MCP calls), stored and evaluated in ${seconds.toFixed(0)} s`,
  );
  console.log(
    `alerts: ${alerts.length} raised, ${posted.length} to post; by rule (posted/raised):`,
  );
  for (const [rule, { raised, toPost }] of byRule(alerts))
    console.log(`  ${rule.padEnd(22)} ${String(toPost).padStart(5)} / ${raised}`);
  console.log(
    `channel: ${noise.messages} messages in ${noise.days} days (${noise.posted} alerts alone, ${noise.rolledUp} in ${noise.rollups} hourly roll-ups): ` +
      `${noise.meanPerDay.toFixed(1)} a day on average (target ≤ ${READABLE.meanPerDay}), the worst day ${noise.worst?.messages ?? 0} (target ≤ ${READABLE.worstDay})`,
  );
  console.log(verdict(noise));
  const found = org.incidents().map((incident) => {
    const rule = RULE_OF[incident.kind];
    const to = incident.at + incident.events * INTERVAL_MS + 10 * 60_000;
    const hit = posted.find(
      (a) =>
        a.ruleId === rule &&
        (rule === "mcp-settings-changed" || a.userId === incident.actorId) &&
        a.firstSeen <= to &&
        a.lastSeen >= incident.at - 10 * 60_000,
    );
    return { incident, rule, hit };
  });
  for (const { incident, rule, hit } of found)
    console.log(
      `  ${hit ? "alerted" : "MISSED "}  ${incident.kind.padEnd(22)} day ${incident.day - HISTORY_DAYS} of live, ${rule}${hit ? ` (alert ${hit.id}, ${hit.severity})` : ""}`,
    );
  const recall = found.filter((f) => f.hit).length / found.length;
  console.log(
    `recall of the seeded incidents: ${(recall * 100).toFixed(0)}% (${found.filter((f) => f.hit).length} of ${found.length}; target 100%)`,
  );
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

function byRule(alerts: readonly Alert[]): Map<string, { raised: number; toPost: number }> {
  const rules = new Map<string, { raised: number; toPost: number }>();
  for (const a of alerts) {
    const r = rules.get(a.ruleId) ?? { raised: 0, toPost: 0 };
    r.raised++;
    if (a.notify) r.toPost++;
    rules.set(a.ruleId, r);
  }
  return new Map([...rules].sort((a, b) => b[1].toPost - a[1].toPost));
}
