import { join } from "node:path";
import { expect } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/** The daily digest of 2026-11-25 covers 2026-11-24 09:00 – 2026-11-25 09:00 UTC. */
export const SINCE = Date.UTC(2026, 10, 24, 9);

/**
 * The digest of 2026-11-25 as `digest --dry-run` prints it (the built CLI), of these events
 * written to a real SQLite file by the store, a day after the period.
 */
export async function dryRunDigestOf(events: readonly NormalizedEvent[]): Promise<string> {
  const path = join(tempDir(), "digest.db");
  const db = openStore(path);
  const stores = repositories(db);
  stores.transaction(() => stores.events.insertMany(events, SINCE + 2 * 86_400_000));
  db.close();
  const out = await runCli(["digest", "--dry-run", "--date", "2026-11-25"], {
    DATABASE_PATH: path,
    ATLASSIAN_ORG_ID: "org-1",
    LOG_LEVEL: "warn",
  });
  expect(out.code, out.stderr).toBe(0);
  return out.stdout;
}
