/**
 * Events that name no account id: who each is about, as grouping and mutes key people. A real
 * SQLite file, the engine on a virtual clock.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { MuteStore } from "../../src/store/mutes.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { event, setup } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

const nobody = (name: string | null, email: string | null): Partial<NormalizedEvent> => ({
  userId: null,
  actorId: null,
  userName: name,
  actorName: name,
  userEmail: email,
  actorEmail: email,
});
const remove = (who: Partial<NormalizedEvent>, minutes: number) =>
  event({ ...who, tool: "deleteJiraIssue", toolClass: "destructive", time: T0 + minutes * MINUTE });

describe("destructive calls whose events name no account id", () => {
  it("group by the person's e-mail, else their name; an event naming neither is an alert of its own", () => {
    const s = setup();
    s.store([
      remove(nobody("Mallory", "mallory@acme.test"), 0),
      remove(nobody("Mallory", "Mallory@Acme.test"), 1),
      remove(nobody("Eve", "eve@acme.test"), 2),
      remove(nobody("Trent", null), 3),
      remove(nobody("Trent", null), 4),
      remove(nobody("Peggy", null), 5),
      remove(nobody(null, null), 6),
      remove(nobody(null, null), 7),
    ]);
    s.engine().run();
    const destructive = s.alerts().filter((a) => a.ruleId === "mcp-destructive");
    expect(destructive.map((a) => [a.title, a.eventCount])).toEqual([
      ["deleteJiraIssue by Mallory", 2],
      ["deleteJiraIssue by Eve", 1],
      ["deleteJiraIssue by Trent", 2],
      ["deleteJiraIssue by Peggy", 1],
      ["deleteJiraIssue by an unknown actor", 1],
      ["deleteJiraIssue by an unknown actor", 1],
    ]);
  });

  it("are muted by a mute of the person's e-mail only; one an earlier release keyed 'unknown' mutes nobody", () => {
    const s = setup();
    const mutes = new MuteStore(s.db);
    const muted = { ruleId: "mcp-destructive", until: T0 + 7 * DAY };
    mutes.add(
      "org-1",
      { ...muted, userKey: "email:mallory@acme.test", reason: "cleanup" },
      "U1",
      T0 - HOUR,
    );
    mutes.add("org-1", { ...muted, userKey: "unknown", reason: "old" }, "U1", T0 - HOUR);
    s.store([
      remove(nobody("Mallory", "mallory@acme.test"), 0),
      remove(nobody("Eve", "eve@acme.test"), 1),
      remove(nobody("Trent", null), 2),
    ]);
    s.engine().run();
    const destructive = s.alerts().filter((a) => a.ruleId === "mcp-destructive");
    expect(destructive.map((a) => [a.title, a.notify, a.suppressedBy])).toEqual([
      ["deleteJiraIssue by Mallory", false, "cleanup by <@U1>"],
      ["deleteJiraIssue by Eve", true, null],
      ["deleteJiraIssue by Trent", true, null],
    ]);
  });
});
