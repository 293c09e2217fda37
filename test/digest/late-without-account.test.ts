/**
 * Calls naming no account id that Atlassian records after their period's digest: the next digest
 * says how many people made them as detection keys people (by e-mail, else name), and names them
 * as new. A real SQLite file, the scheduler on a virtual clock.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 09:00 UTC: the daily digest's time. */
const NINE = Date.UTC(2026, 10, 24, 9);

/** An API-token call made at `time`, recorded at `storedAt`, naming an e-mail or a name only. */
function unaccounted(
  n: number,
  time: number,
  storedAt: number,
  email: string | null,
  name: string | null,
) {
  return normalizedEvent({
    id: `late-${n}`,
    time,
    processedAt: storedAt - 10_000,
    userId: null,
    actorId: null,
    userEmail: email,
    actorEmail: email,
    userName: name,
    actorName: name,
    authKind: "api-token",
    authType: "api-token",
    clientApp: null,
  }) as NormalizedEvent;
}

describe("late calls naming no account id", () => {
  it("are counted by person, as detection keys them, and their people named as new", async () => {
    const db = openStore(join(tempDir(), "digest.db"));
    closeAfterTest(() => db.close());
    const stores = repositories(db);
    stores.pollStates.save(
      {
        orgId: "org-1",
        cursor: null,
        lastProcessedAt: null,
        backfillFrom: NINE - 10 * DAY,
        backfillUntil: NINE - 3 * DAY,
        backfillDone: true,
      },
      NINE - 3 * DAY,
    );
    const clock = new VirtualClock(NINE + MINUTE);
    const scheduler = new DigestScheduler({
      stores,
      clock,
      logger: capturedLogger().logger,
      orgId: "org-1",
      cron: "0 9 * * *",
      timeZone: "UTC",
      health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
    });
    await scheduler.catchUp();
    expect(stores.digests.byPeriod("org-1", "daily", NINE)).toBeDefined();

    const storedAt = NINE + 2 * HOUR;
    stores.transaction(() =>
      stores.events.insertMany(
        [
          unaccounted(1, NINE - 3 * HOUR, storedAt, "svc-a@example.com", null),
          unaccounted(2, NINE - 2 * HOUR, storedAt, "svc-a@example.com", null),
          unaccounted(3, NINE - HOUR, storedAt, null, "Trent"),
        ],
        storedAt,
      ),
    );
    clock.advance(NINE + DAY + MINUTE - clock.now());
    await scheduler.tick();
    const next = stores.digests.byPeriod("org-1", "daily", NINE + DAY);
    const text = next ? digestText(next.message) : "";
    expect(text).toContain(
      "3 MCP calls by 2 people from earlier periods arrived after their digest",
    );
    const newcomers = text.split("for the first time")[1] ?? "";
    expect(newcomers).toContain("svc-a@example.com");
    expect(newcomers).toContain("Trent");
  });
});
