/** The patterns muted now, as `/mcp-activity settings` lists them: a real SQLite file. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { MuteStore } from "../../src/store/mutes.js";
import { openStore } from "../../src/store/open.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { anAlert, T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("the mutes listed", () => {
  it("are one row per pattern running, with its longest mute and the pattern's newest alert", () => {
    const db = openStore(join(tempDir(), "mutes.db"));
    const mutes = new MuteStore(db);
    const alerts = new AlertStore(db);
    const { id: _id, status: _s, revision: _r, updatedAt: _u, ...base } = anAlert();
    const raise = (orgId: string, createdAt: number) =>
      alerts.insert({ ...base, orgId, userId: "acc-pat", userName: "Pat", createdAt });
    raise("org-1", T0 - DAY);
    const newest = raise("org-1", T0 - HOUR);
    const pattern = { ruleId: base.ruleId, userKey: "acc-pat" };
    mutes.add("org-1", { ...pattern, until: T0 + 4 * HOUR, reason: "snoozed for 4 h" }, "U1", T0);
    mutes.add("org-1", { ...pattern, until: T0 + 7 * DAY, reason: "muted 7 days" }, "U2", T0);
    mutes.add("org-2", { ...pattern, until: T0 + DAY, reason: "elsewhere" }, "U1", T0);
    // Ended, and run out: not listed.
    mutes.add(
      "org-1",
      { ruleId: "mcp-write", userKey: "acc-pat", until: T0 + DAY, reason: "x" },
      "U1",
      T0,
    );
    mutes.endFor("org-1", "acc-pat", T0 + 1, "mcp-write");
    mutes.add(
      "org-1",
      { ruleId: "mcp-burst", userKey: "acc-pat", until: T0 - 1, reason: "y" },
      "U1",
      T0 - DAY,
    );

    expect(mutes.list(T0 + 2).map((m) => [m.orgId, m.until, m.mutes, m.reason, m.person])).toEqual([
      // org-2 has no alert of the pattern: the person is shown by their key.
      ["org-2", T0 + DAY, 1, "elsewhere", "acc-pat"],
      ["org-1", T0 + 7 * DAY, 2, "muted 7 days", "Pat"],
    ]);
    const [listed] = mutes.list(T0 + 2, "org-1");
    expect(listed).toMatchObject({ alertId: newest, alertCreatedAt: T0 - HOUR });
    db.close();
  });
});
