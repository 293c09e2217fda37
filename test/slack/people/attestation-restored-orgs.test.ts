/**
 * After a restore from a backup, the weekly checks are sent again and may take other ids: with
 * several organizations, whose checks run side by side, the id of Alice's check of org-1 in an
 * old message can be given to her check of org-2, of the same week. The old message's button
 * must not answer the other organization's check (docs/operations.md, restore: "never acts on a
 * new alert given the same id (so do a question's and a weekly check's buttons)").
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { WatchedOrgs } from "../../../src/organizations.js";
import { SlackDirectory } from "../../../src/slack/directory.js";
import { WeeklyAttestation } from "../../../src/slack/people/attestation.js";
import { registerAttestationActions } from "../../../src/slack/people/attestation-actions.js";
import { backupDatabase } from "../../../src/store/backup.js";
import { DAY } from "../../../src/time-units.js";
import { mcpEvent, T0 } from "../../detect/fixtures.js";
import { tempDir } from "../../helpers/tmp.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const ALICE = "UALICE";
/** Monday 2026-11-09 10:00:30 UTC: just after the check's time. */
const MONDAY = Date.UTC(2026, 10, 9, 10, 0, 30);

describe("a weekly check's buttons after a restore, with several organizations", () => {
  it("an old message of org-1's check never answers org-2's check given its id", async () => {
    const r = await slackRig();
    r.slack.addUser({ id: ALICE, email: "alice@example.com" });
    r.slack.setMembers(CHANNEL, ["URESP"]);
    const b = await boltApp(r, (app, responders) => {
      const deps = r.actionDeps({ responders });
      registerAttestationActions(app, {
        attestations: r.stores.attestations,
        notMe: {
          triage: deps.triage,
          home: r.stores.home,
          produce: () => r.alertOutbox.produce(),
          logger: r.logs.logger,
        },
        orgs: new WatchedOrgs(["org-1", "org-2"]),
        clock: r.clock,
        logger: r.logs.logger,
        queued: r.queued,
        timeZone: "UTC",
      });
    });
    let n = 0;
    const calls = (orgId: string, e: Partial<NormalizedEvent> = {}) => {
      const { seq: _s, ingestedAt: _i, ...base } = mcpEvent();
      r.stores.events.insertMany(
        Array.from({ length: 25 }, (_, i) => ({
          ...base,
          orgId,
          id: `att-${++n}`,
          time: MONDAY - 3 * DAY + i * 1000,
          userEmail: "alice@example.com",
          ...e,
        })),
        T0,
      );
    };
    calls("org-1");
    calls("org-2");
    r.clock.advance(MONDAY - r.clock.now());
    const directory = new SlackDirectory({ client: r.client, clock: r.clock });
    const weekly = (orgId: string) =>
      new WeeklyAttestation({
        stores: r.stores,
        logger: r.logs.logger,
        orgId,
        queued: r.queued,
        clock: r.clock,
        cron: "0 10 * * MON",
        timeZone: "UTC",
        minCalls: 20,
        directory,
      });
    const dm = () => r.slack.messages(r.slack.dmChannel(ALICE));
    const buttonValue = (blocks: unknown) =>
      /"value":"(\d+\.\d+)"/.exec(JSON.stringify(blocks))?.[1] ?? "";

    // The nightly backup; then org-1's check goes out first.
    const backup = join(tempDir(), "nightly.db");
    await backupDatabase(r.db, backup);
    await weekly("org-1").run();
    await r.poster.drain();
    await r.settled();
    await r.poster.drain();
    const [old] = dm();
    const oldValue = buttonValue(old?.blocks);
    const oldId = Number(oldValue.split(".")[0]);
    expect(r.stores.attestations.get(oldId)?.orgId).toBe("org-1");

    // The disk is lost, the backup restored; the checks go out again, org-2's first this time.
    const copy = new Database(backup, { readonly: true });
    await copy.backup(r.db.name);
    copy.close();
    r.clock.advance(60 * 60_000); // the restore took its time
    await weekly("org-2").run();
    await weekly("org-1").run();
    await r.poster.drain();
    const other = r.stores.attestations.get(oldId);
    expect(other?.orgId).toBe("org-2"); // the id is used again, for the same week
    expect(other?.slackUser).toBe(ALICE);

    // Alice answers the first message she got: org-1's week.
    const click = await b.click("attest_not_me", ALICE, oldValue, {
      channel: r.slack.dmChannel(ALICE),
      ts: old?.ts ?? "",
    });
    await r.settled();
    await r.poster.drain();
    // org-2's check, which she has not answered, is not answered by it; no alert about org-2.
    expect(r.alerts.list("org-2").filter((a) => a.ruleId === "mcp-not-me")).toEqual([]);
    expect(r.stores.attestations.get(oldId)?.answer).toBeNull();
    expect(await click.reply()).toBe("That check is not known here any more.");
  });
});
