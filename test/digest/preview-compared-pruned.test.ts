/**
 * A digest compares its period with the one before it ("955 MCP calls (▼1%)"). When retention
 * deleted part of that earlier period, it shows no change (a rise that never happened) and says
 * the calls there were deleted.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";

describe("a digest preview whose comparison reaches back past retention's cut", () => {
  it("says the events before the cut were deleted", async () => {
    const { env, path } = await simulatedOrg(4400); // three days of history, a call a minute
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    // The last scheduled daily digest (DIGEST_CRON 0 9 * * *, UTC) covers the 24 hours to the
    // last 09:00; the day before it is what it is compared with.
    const now = Date.now();
    const last9 = Math.floor((now - 9 * HOUR) / DAY) * DAY + 9 * HOUR;
    const since = last9 - DAY;
    // A retention pass deleted what was before the middle of that day before.
    const cut = since - 12 * HOUR;
    const db = new Database(path);
    const stores = repositories(db);
    stores.alerts.setLastEvaluated("org-cli", stores.events.maxSeq("org-cli"), now);
    expect(stores.retention.pruneEvents("org-cli", cut, 100_000)).toBeGreaterThan(0);
    stores.prunedBefore.record("org-cli", cut, now);
    db.close();

    const preview = await runCli(["digest", "--dry-run", "--last"], { DATABASE_PATH: path });
    expect(preview.code, preview.stderr).toBe(0);
    // Half the day before is gone: no "▲" against it, and the digest says why.
    expect(preview.stdout).toMatch(/\d+ MCP calls · /);
    expect(preview.stdout).not.toMatch(/[▲▼]/);
    expect(preview.stdout).toContain(
      "No change shown: retention (`RETENTION_DAYS`) deleted the calls before",
    );
  }, 120_000);
});
