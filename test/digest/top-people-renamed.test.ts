/**
 * A person renamed within the digest's period is named in Top people by the name of their newest
 * call of the period, the name they have now. A real SQLite file written by the store, the digest
 * read back by the built CLI.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { HOUR } from "../../src/time-units.js";
import { mcpEvent } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/** The daily digest of 2026-11-25 covers 2026-11-24 09:00 – 2026-11-25 09:00 UTC. */
const SINCE = Date.UTC(2026, 10, 24, 9);

describe("a person renamed within the digest's period", () => {
  it("is named in Top people by the name of their newest call", async () => {
    const path = join(tempDir(), "renamed.db");
    const db = openStore(path);
    const stores = repositories(db);
    // Renamed at noon, and stored newest first: Dana Smith's calls are the period's oldest.
    const calls = Array.from({ length: 6 }, (_, i) => {
      const {
        seq: _s,
        ingestedAt: _i,
        ...e
      } = mcpEvent({
        id: `r-${i}`,
        time: SINCE + (6 - i) * HOUR,
        processedAt: SINCE + (6 - i) * HOUR + 5_000,
        userName: i < 3 ? "Dana Novak" : "Dana Smith",
        actorName: i < 3 ? "Dana Novak" : "Dana Smith",
      });
      return e;
    });
    stores.transaction(() => stores.events.insertMany(calls, SINCE + 2 * 86_400_000));
    db.close();
    const out = await runCli(["digest", "--dry-run", "--date", "2026-11-25"], {
      DATABASE_PATH: path,
      ATLASSIAN_ORG_ID: "org-1",
      LOG_LEVEL: "warn",
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.split("Top people\n")[1]?.split("\n")[0]).toBe("6 · Dana Novak");
  });
});
