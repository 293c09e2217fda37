/**
 * "No, that wasn't me" ends every mute covering the person and raises again what they hid: a call
 * made while the mute ran (minutes before the "no") and read by the next poll after it is not kept
 * quiet by the ended mute.
 */
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { repositories } from "../../../src/store/repositories.js";
import { normalizedEvent } from "../../detect/fixtures.js";
import { ALICE, askRig, RESPONDER } from "./ask-rig.js";

const aliceIs = { userId: "acc-1", userEmail: "p1@example.com", userName: "Alice" };

describe("a call made just before the person's 'no', judged after it", () => {
  it.each([
    ["stored by the poll after it", 2 * 60_000],
    ["stored before it, judged after", -60_000],
  ])("is not kept quiet by the mute the 'no' ended (%s)", async (_, storedAfterNo) => {
    const a = await askRig();
    // Alice's destructive calls were marked expected and muted for 7 days by a responder.
    const muted = await a.postAlert({ ...aliceIs, ruleId: "mcp-destructive", groupKey: "d|1" });
    await a.click("alert_expected_mute", RESPONDER, String(muted.id), muted.where);
    await a.slack.waitFor(() => a.alerts.get(muted.id)?.status === "expected", 5000, "mute");
    await a.settled();
    a.clock.advance(60 * 60_000);

    // Another alert about her asks her; she answers at `no`.
    const asked = await a.postAlert({
      ...aliceIs,
      ruleId: "mcp-first-use",
      severity: "medium",
      groupKey: "f|1",
    });
    await a.slack.waitFor(() => a.dm().length === 1, 5000, "the question");
    const no = a.clock.now();
    await a.click("ask_no", ALICE, String(asked.id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.waitForThread(asked.where.ts, "says this was *not* them");
    await a.settled();

    // The audit log is a few minutes behind: a deletion made 3 minutes before her "no" is
    // stored after it, or just before it and judged by the rules only after it.
    const base = normalizedEvent();
    a.stores.events.insertMany(
      [
        {
          ...base,
          id: "ev-attacker",
          ...aliceIs,
          actorId: "acc-1",
          tool: "deleteJiraIssue",
          toolClass: "destructive",
          time: no - 3 * 60_000,
          processedAt: no - 3 * 60_000 + 30_000,
        },
      ],
      no + storedAfterNo,
    );
    a.clock.advance(2 * 60_000);
    new DetectionEngine({
      stores: repositories(a.db),
      clock: a.clock,
      logger: a.logs.logger,
      orgId: "org-1",
      config: parseRulesText("", "rules.yml"),
    }).run();
    const deletion = a.alerts
      .list("org-1")
      .filter((x) => x.ruleId === "mcp-destructive" && x.firstSeen === no - 3 * 60_000);
    expect(deletion.map((x) => [x.notify, x.suppressedBy])).toEqual([[true, null]]);
  });
});
