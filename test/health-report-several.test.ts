/**
 * `/mcp-activity status` with several organizations watched: a problem one organization met is
 * said once, under it, and a worker's failure under the organization it works for.
 */
import { describe, expect, it } from "vitest";
import type { HealthSources } from "../src/health-report.js";
import { statusReply } from "../src/slack/blocks/status.js";
import { statusFigures } from "../src/status-figures.js";
import { VirtualClock } from "./fakes/virtual-clock.js";

const full =
  "the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH";

const digest = {
  name: "digest",
  orgId: "org-beta",
  ok: false,
  lastPassAt: null,
  lastError: { message: full, kind: "database" as const, at: 0 },
};

/** Two organizations; Beta's rules met a full disk. Each org's status as watchOrganization says it. */
function sources(workerFull = false): HealthSources {
  const clock = new VirtualClock(Date.UTC(2026, 11, 4, 12));
  const org = (orgId: string, rulesError: boolean) => {
    const rules = rulesError
      ? { ok: false, lastError: { message: full, kind: "database" } }
      : { ok: true, lastError: null };
    return {
      orgId,
      pollerSection: () => ({ ok: true, lastError: null }),
      rulesSection: () => rules,
      status: (common: readonly (string | undefined)[]) => ({
        healthy: !rulesError,
        lastPoll: null,
        lagSeconds: null,
        lastEvent: null,
        mcpActionKeys: [],
        pendingDeliveries: 0,
        quarantined: 0,
        backfilling: null,
        problems: [
          ...common,
          rules.lastError ? `the rules cannot run: ${rules.lastError.message}` : undefined,
        ].filter((p) => p !== undefined),
      }),
    };
  };
  return {
    clock,
    started: clock.monotonic(),
    watched: [org("org-alpha", false), org("org-beta", !workerFull)],
    orgs: { name: (id: string) => (id === "org-alpha" ? "Alpha" : "Beta"), several: true },
    databaseAnswers: () => true,
    databaseFiles: () => null,
    outbox: {
      health: () => ({
        pendingByKind: {},
        oldestPendingAt: null,
        lastError: null,
        lastFailure: null,
      }),
    },
    pauses: { active: () => [] },
    poster: { health: () => ({ lastError: null, unansweredSince: null }) },
    responders: () => "the channel's members",
    missingScopes: () => undefined,
    workers: {
      health: () => (workerFull ? [digest] : []),
      problems: () => (workerFull ? [`digest (org-beta): ${full}`] : []),
    },
  } as unknown as HealthSources;
}

describe("status with several organizations, one of whose rules met a full disk", () => {
  it("says the full disk once", () => {
    const status = statusFigures(sources());
    const all = [...status.problems, ...(status.organizations ?? []).flatMap((o) => o.problems)];
    const text = JSON.stringify(statusReply(status).blocks);
    expect(text.split("SQLITE_FULL").length - 1).toBe(1);
    expect(all.filter((p) => p.includes("SQLITE_FULL"))).toHaveLength(1);
  });
});

describe("status with several organizations, one of whose digest worker met a full disk", () => {
  it("says the full disk once, under Beta", () => {
    const status = statusFigures(sources(true));
    const text = JSON.stringify(statusReply(status).blocks);
    expect(text.split("SQLITE_FULL").length - 1).toBe(1);
    expect(status.problems).toEqual([]);
    expect(status.organizations?.find((o) => o.organization === "Beta")?.problems).toEqual([
      `digest: ${full}`,
    ]);
  });
});
