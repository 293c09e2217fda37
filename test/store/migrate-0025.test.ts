import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { MuteStore } from "../../src/store/mutes.js";
import { openStore } from "../../src/store/open.js";
import { SuppressionStore } from "../../src/store/suppressions.js";
import { TrailStore } from "../../src/store/trail.js";
import { DAY } from "../../src/time-units.js";
import { anAlert } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0025: the rules never quieted", () => {
  it("ends the mutes and removes the suppressions earlier releases set on them, saying so in the trail", () => {
    const path = join(tempDir(), "q.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 24));
    const now = Date.now();
    const { id: _i, status: _s, revision: _r, updatedAt: _u, ...base } = anAlert();
    const canary = new AlertStore(before).insert({
      ...base,
      ruleId: "mcp-canary",
      userId: "acc-eve",
      createdAt: now - DAY,
    });
    const suppressions = new SuppressionStore(before);
    const mutes = new MuteStore(before);
    for (const ruleId of ["mcp-canary", "mcp-write"]) {
      const quiet = { ruleId, userKey: "acc-eve", reason: "expected", alertId: canary };
      suppressions.add("org-1", quiet, "U1", now - DAY);
      mutes.add("org-1", { ...quiet, until: now + 30 * DAY }, "U1", now - DAY);
    }
    before.close();

    const db = openStore(path);
    const later = Date.now() + 1;
    // The canary's are gone; another rule's stay.
    expect(new SuppressionStore(db).list().map((s) => s.ruleId)).toEqual(["mcp-write"]);
    expect(new MuteStore(db).list(later).map((m) => m.ruleId)).toEqual(["mcp-write"]);
    expect(new TrailStore(db).history("org-1", canary).map((t) => [t.actor, t.note])).toEqual([
      [
        "system",
        "removed suppression 1 of mcp-canary alerts about this person: alerts of this rule are never quieted now",
      ],
    ]);
    db.close();
  });
});
