import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type HealthSources, healthReport } from "../src/health-report.js";
import type { WorkerHealth } from "../src/workers/worker.js";
import { VirtualClock } from "./fakes/virtual-clock.js";

describe("/healthz on a database that cannot be read", () => {
  it("is unhealthy with what it knows, and says what to do under database.problem", () => {
    const clock = new VirtualClock(Date.UTC(2026, 11, 4, 12));
    const damaged = new Database.SqliteError("database disk image is malformed", "SQLITE_CORRUPT");
    const sources = {
      clock,
      startedAt: clock.now() - 90_000,
      watched: [
        {
          pollerSection: () => {
            throw damaged;
          },
        },
      ],
      workers: {
        health: () => [
          { name: "poller", orgId: "org-1", ok: false, lastPassAt: null, lastError: null },
        ],
      },
    } as unknown as HealthSources;
    const report = healthReport(sources);
    expect(report.healthy).toBe(false);
    expect(report.body).toMatchObject({
      status: "unhealthy",
      uptimeSeconds: 90,
      database: { ok: false },
      workers: [{ name: "poller", org: "org-1", ok: false }],
    });
    expect((report.body.database as { problem: string }).problem).toMatch(
      /^the database file is damaged \(SQLITE_CORRUPT\): stop the bot, then restore the last backup/,
    );
    expect((report.body.database as { problem: string }).problem).toMatch(
      /sqlite\.org's `sqlite3 DATABASE_PATH \.recover` \(Debian's sqlite3 has no \.recover\)$/,
    );
  });

  it("the same when it is the SIEM export's figures that cannot be read", () => {
    const damaged = new Database.SqliteError("database disk image is malformed", "SQLITE_CORRUPT");
    const report = healthReport({
      ...running(),
      exportSection: () => {
        throw damaged;
      },
    });
    expect(report).toMatchObject({
      healthy: false,
      body: { status: "unhealthy", database: { ok: false } },
    });
    expect((report.body.database as { problem: string }).problem).toMatch(
      /^the database file is damaged \(SQLITE_CORRUPT\)/,
    );
  });
});

describe("/healthz while the database cannot be written", () => {
  const full =
    "the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH";
  const at = "2026-12-04T12:00:00.000Z";

  it("says why under database.problem when it is the rules that meet it", () => {
    const report = healthReport(
      running({ rules: { ok: false, lastError: { message: full, kind: "database", at } } }),
    );
    expect(report).toMatchObject({
      healthy: false,
      body: { database: { ok: false, problem: full }, rules: { ok: false } },
    });
  });

  it("says why under database.problem when it is a worker (a digest) that meets it", () => {
    const digest = {
      name: "digest",
      orgId: "org-1",
      ok: false,
      lastPassAt: null,
      lastError: { message: full, kind: "database" as const, at: Date.parse(at) },
    };
    const report = healthReport(running({ workers: [digest] }));
    expect(report).toMatchObject({
      healthy: false,
      body: { database: { ok: false, problem: full } },
    });
  });
});

/** The sources of a running bot with one organization, all well but what `state` says. */
function running(
  state: { rules?: unknown; workers?: readonly WorkerHealth[] } = {},
): HealthSources {
  const clock = new VirtualClock(Date.UTC(2026, 11, 4, 12));
  const organization = {
    pollerSection: () => ({ ok: true, lastError: null }),
    rulesSection: () => state.rules ?? { ok: true, lastError: null },
  };
  return {
    clock,
    startedAt: clock.now(),
    watched: [organization],
    orgs: { name: (id: string) => id },
    databaseAnswers: () => true,
    databaseFiles: () => null,
    outbox: {
      health: () => ({
        pendingByKind: {},
        inFlight: 0,
        oldestPendingAt: null,
        lastFailure: null,
      }),
    },
    pauses: { active: () => [] },
    poster: { health: () => ({ lastError: null, unansweredSince: null }) },
    responders: () => "the channel's members",
    workers: { health: () => [...(state.workers ?? [])] },
  } as unknown as HealthSources;
}
