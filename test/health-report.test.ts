import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type HealthSources, healthReport } from "../src/health-report.js";
import { statusFigures } from "../src/status-figures.js";
import type { WorkerHealth } from "../src/workers/worker.js";
import { VirtualClock } from "./fakes/virtual-clock.js";

describe("/healthz on a database that cannot be read", () => {
  it("is unhealthy with what it knows, and says what to do under database.problem", () => {
    const clock = new VirtualClock(Date.UTC(2026, 11, 4, 12));
    const damaged = new Database.SqliteError("database disk image is malformed", "SQLITE_CORRUPT");
    const started = clock.monotonic();
    clock.advance(90_000);
    const sources = {
      clock,
      started,
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

  it("the same when the workers' health reads it too (the poller's counts): their list is left out", () => {
    const locked = new Database.SqliteError("database is locked", "SQLITE_BUSY");
    const fails = () => {
      throw locked;
    };
    const report = healthReport({
      ...running(),
      watched: [{ pollerSection: fails }],
      workers: { health: fails, problems: () => [] },
    } as unknown as HealthSources);
    expect(report).toMatchObject({
      healthy: false,
      body: { status: "unhealthy", database: { ok: false } },
    });
    expect(report.body.workers).toBeUndefined();
    expect((report.body.database as { problem: string }).problem).toMatch(
      /^the database is locked by another process \(SQLITE_BUSY\): stop what holds a write lock on DATABASE_PATH/,
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

describe("/healthz's uptime", () => {
  it("counts the time run, not the wall clock, when the clock steps back", () => {
    const sources = running();
    const clock = sources.clock as VirtualClock;
    clock.advance(90_000);
    clock.advance(-6 * 3_600_000); // NTP steps back a clock that ran six hours ahead
    clock.advance(10_000);
    expect(healthReport(sources).body.uptimeSeconds).toBe(100);
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

describe("`status` beside /healthz", () => {
  const full =
    "the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH";
  const at = Date.UTC(2026, 11, 4, 12);
  const digest = {
    name: "digest",
    orgId: "org-1",
    ok: false,
    lastPassAt: null,
    lastError: { message: full, kind: "database" as const, at },
  };
  const notInChannel =
    "the bot is not in the alert channel: invite it (/invite @mcp-activity) in C0ALERTS";
  // Each reason /healthz answers 503 for, and the words `status` must say it in.
  const reasons: Array<[string, State, string]> = [
    // The poller says its own failure only once three intervals make it stale.
    [
      "a full disk the poller met",
      { poller: { ok: true, lastError: { message: full, kind: "database" } } },
      full,
    ],
    [
      "a full disk the rules met",
      { rules: { ok: false, lastError: { message: full, kind: "database" } } },
      full,
    ],
    ["a full disk a worker met", { workers: [digest] }, full],
    [
      "the files replaced",
      { files: "the database file at x.db was deleted or replaced" },
      "deleted or replaced",
    ],
    ["a database that does not answer", { answers: false }, "the database does not answer"],
    [
      "Slack refusing for a setup reason",
      { posterError: { code: "not_in_channel", advice: notInChannel, at } },
      notInChannel,
    ],
    [
      "chat:write missing",
      { missingScopes: [{ scope: "chat:write", without: "nothing is posted" }] },
      "chat:write",
    ],
  ];

  it.each(reasons)("says why it is unhealthy, once: %s", (_, state, said) => {
    expect(healthReport(running(state)).healthy).toBe(false);
    const status = statusFigures(running(state));
    expect(status.healthy).toBe(false);
    expect(status.problems.filter((p) => p.includes(said))).toHaveLength(1);
  });
});

interface State {
  poller?: unknown;
  rules?: { ok: boolean; lastError: { message: string; kind: string; at?: string } | null };
  workers?: readonly WorkerHealth[];
  answers?: boolean;
  files?: string;
  posterError?: unknown;
  missingScopes?: unknown;
}

/** The sources of a running bot with one organization, all well but what `state` says. */
function running(state: State = {}): HealthSources {
  const clock = new VirtualClock(Date.UTC(2026, 11, 4, 12));
  const rules = state.rules ?? { ok: true, lastError: null };
  const organization = {
    pollerSection: () => state.poller ?? { ok: true, lastError: null },
    rulesSection: () => rules,
    // As an organization says it (watchOrganization): the common problems, then its own.
    status: (common: readonly (string | undefined)[]) => ({
      problems: [
        ...common,
        rules.lastError ? `the rules cannot run: ${rules.lastError.message}` : undefined,
      ].filter((p) => p !== undefined),
    }),
  };
  return {
    clock,
    started: clock.monotonic(),
    watched: [organization],
    orgs: { name: (id: string) => id, several: false },
    databaseAnswers: () => state.answers ?? true,
    databaseFiles: () => state.files ?? null,
    outbox: {
      health: () => ({
        pendingByKind: {},
        inFlight: 0,
        oldestPendingAt: null,
        lastFailure: null,
      }),
    },
    pauses: { active: () => [] },
    poster: { health: () => ({ lastError: state.posterError ?? null, unansweredSince: null }) },
    responders: () => "the channel's members",
    missingScopes: () => state.missingScopes,
    workers: {
      health: () => [...(state.workers ?? [])],
      problems: () =>
        (state.workers ?? []).map((w) => `${w.name} (${w.orgId}): ${w.lastError?.message}`),
    },
  } as unknown as HealthSources;
}
