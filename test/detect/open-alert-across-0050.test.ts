/**
 * An alert open when migration 0050 runs (its group key the rule and person, no subject) keeps
 * taking its person's findings after the upgrade: Dana turning off two-step verification for Bob
 * again a minute later grows it, not a second alert telling the same story. A mute set before it
 * still covers every subject. A real SQLite file at the schema of 0049, upgraded in place.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { withLaterColumns } from "../helpers/later-columns.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { twoStepOff } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

it("an alert open before 0050 keeps taking its person's findings after it", () => {
  const path = join(tempDir(), "s.db");
  const before = openStore(path, { migrate: false });
  migrate(before, loadMigrations().slice(0, 49));
  withLaterColumns(before, () => {
    const old = repositories(before);
    old.events.insertMany(
      [{ ...twoStepOff({ id: "acc-bob", name: "bob" }, T0), backfilled: false }],
      T0,
    );
    const seq = old.events.maxSeq("org-1");
    old.alerts.insert({
      orgId: "org-1",
      ruleId: "two-step-disabled",
      severity: "high",
      groupKey: "two-step-disabled|acc-dana",
      title: "Two-step verification turned off for bob by dana@example.com",
      detail: { action: "twosv_disabled_for_user" },
      userId: "acc-dana",
      userName: null,
      userEmail: "dana@example.com",
      authKind: "unknown",
      firstEventSeq: seq,
      lastEventSeq: seq,
      firstSeen: T0,
      lastSeen: T0,
      eventCount: 1,
      tools: [],
      late: false,
      suppressedBy: null,
      notify: true,
      createdAt: T0,
    });
    old.alerts.setLastEvaluated("org-1", seq, T0);
    // A mute of Ivy's, set before subjects were kept.
    old.mutes.add(
      "org-1",
      { ruleId: "two-step-disabled", userKey: "acc-ivy", until: T0 + DAY, reason: "audit week" },
      "U1",
      T0,
    );
  });
  before.close();

  const db = openStore(path);
  closeAfterTest(() => db.close());
  const stores = repositories(db);
  const clock = new VirtualClock(T0 + MINUTE);
  const engine = new DetectionEngine({
    stores,
    clock,
    logger: capturedLogger().logger,
    orgId: "org-1",
    config: parseRulesText("", "rules.yml"),
  });
  const t = clock.now();
  stores.events.insertMany(
    [
      { ...twoStepOff({ id: "acc-bob", name: "bob" }, t), backfilled: false },
      { ...twoStepOff({ id: "acc-zed", name: "zed" }, t, "acc-ivy"), backfilled: false },
    ],
    t,
  );
  engine.run();
  const alerts = stores.alerts.list("org-1");
  const dana = alerts.filter((a) => a.userId === "acc-dana");
  expect(dana.map((a) => a.eventCount)).toEqual([2]);
  // The mute set before subjects were kept covers every account Ivy acts on.
  const ivy = alerts.filter((a) => a.userId === "acc-ivy");
  expect(ivy.map((a) => a.notify)).toEqual([false]);
});
