import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/domain/alert.js";
import { decide, offersLearning, SELF_TRIAGE } from "../../src/triage/decide.js";
import type { TriageActor, TriageState } from "../../src/triage/decision.js";
import { ABOUT_ORGANIZATION, NO_PERSON_KEY } from "../../src/triage/unquietable.js";

const NOW = Date.UTC(2026, 11, 2, 10, 0);
const alert = (over: Partial<Alert> = {}): Alert =>
  ({
    id: 7,
    orgId: "o",
    ruleId: "mcp-write",
    status: "open",
    severity: "medium",
    userId: "acc-ada",
    userEmail: "ada@example.com",
    ...over,
  }) as Alert;
const state = (over: Partial<TriageState> = {}): TriageState => ({
  alert: alert(),
  learned: { expected: 0, mute: undefined, suppression: undefined },
  lastChange: undefined,
  asked: undefined,
  ...over,
});
const responder: TriageActor = { id: "UR", notResponder: null, self: false };
const settings = { expectedOnYes: ["mcp-write"] };

describe("deciding a click on an alert", () => {
  it("refuses whoever is not a responder, with the reason given", () => {
    const d = decide(
      state(),
      { kind: "acknowledge" },
      { ...responder, notResponder: "no" },
      NOW,
      settings,
    );
    expect(d).toEqual({ refused: { message: "no" }, notes: [], show: false });
  });

  it("refuses handling an alert about oneself, and keeps the refusal in the trail", () => {
    for (const kind of ["acknowledge", "expected", "expected-mute"] as const)
      expect(
        decide(state(), { kind }, { ...responder, self: true }, NOW, settings).refused,
      ).toEqual({
        message: SELF_TRIAGE,
        note: `refused ${kind}: someone else must handle alerts about them`,
      });
    expect(
      decide(state(), { kind: "snooze", hours: 4 }, { ...responder, self: true }, NOW, settings)
        .refused?.message,
    ).toBe(SELF_TRIAGE);
    // A true positive closes the alert too: someone else decides it.
    expect(
      decide(state(), { kind: "true-positive" }, { ...responder, self: true }, NOW, settings)
        .refused?.message,
    ).toBe(SELF_TRIAGE);
  });

  it("moves the status once, and says who did when nothing changes", () => {
    expect(decide(state(), { kind: "acknowledge" }, responder, NOW, settings)).toEqual({
      status: { to: "acknowledged", note: null },
      reminders: "stop",
      notes: [],
      show: true,
    });
    const done = state({
      alert: alert({ status: "acknowledged" }),
      lastChange: { actor: "UA", at: 1 },
    });
    expect(decide(done, { kind: "true-positive" }, responder, NOW, settings)).toEqual({
      refused: { message: "Nothing changed: this alert is already acknowledged by <@UA>." },
      notes: [],
      show: true,
    });
    expect(decide(done, { kind: "reopen" }, responder, NOW, settings).status?.to).toBe("open");
  });

  it("marks expected and mutes for 7 days as one decision", () => {
    const d = decide(state(), { kind: "expected-mute" }, responder, NOW, settings);
    expect(d.status).toEqual({ to: "expected", note: null });
    expect(d.mute).toEqual({
      until: NOW + 7 * 86_400_000,
      reason: "marked expected on alert 7, muted for 7 days",
    });
    expect(d.told).toEqual({ kind: "muted", until: NOW + 7 * 86_400_000 });
  });

  it("reopening ends the mute this alert's 'Expected, mute 7 days' set, and no other", () => {
    const expected = alert({ status: "expected" });
    const mute = { until: NOW + 86_400_000, reason: "snoozed for 24 h by <@UX>" };
    const reopen = (mutedHere: boolean) =>
      decide(
        state({
          alert: expected,
          learned: { expected: 1, mute, suppression: undefined, mutedHere },
        }),
        { kind: "reopen" },
        responder,
        NOW,
        settings,
      );
    expect(reopen(true)).toMatchObject({ undo: "expected-mute", told: { did: "unmute" } });
    expect(reopen(false).undo).toBeUndefined();
    expect(reopen(false).told).toBeUndefined();
  });

  it("snoozes the rule for the person for the hours chosen", () => {
    expect(decide(state(), { kind: "snooze", hours: 4 }, responder, NOW, settings)).toEqual({
      mute: { until: NOW + 4 * 3_600_000, reason: "snoozed for 4 h" },
      notes: ["snoozed mcp-write for 4 h"],
      told: { kind: "snoozed", hours: 4, until: NOW + 4 * 3_600_000 },
      show: false,
    });
  });

  it("snoozes again only what a running mute does not cover already: a double click adds nothing", () => {
    const snoozed = (minutesAgo: number, hours = 4) =>
      state({
        learned: {
          expected: 0,
          mute: {
            until: NOW - minutesAgo * 60_000 + hours * 3_600_000,
            reason: "snoozed for 4 h by <@UR>",
          },
          suppression: undefined,
        },
      });
    const again = decide(snoozed(4), { kind: "snooze", hours: 4 }, responder, NOW, settings);
    expect(again).toEqual({
      refused: {
        message: "Nothing changed: these alerts are muted already (snoozed for 4 h by <@UR>).",
      },
      notes: [],
      show: false,
    });
    // Later than Slack takes a request again, or longer: a snooze of its own.
    expect(
      decide(snoozed(6), { kind: "snooze", hours: 4 }, responder, NOW, settings).mute,
    ).toBeDefined();
    expect(
      decide(snoozed(1), { kind: "snooze", hours: 24 }, responder, NOW, settings).mute,
    ).toEqual({
      until: NOW + 24 * 3_600_000,
      reason: "snoozed for 24 h",
    });
  });

  it("snoozes an open alert only: a menu left on an older copy says who handled it", () => {
    for (const status of ["acknowledged", "expected", "true_positive"] as const) {
      const handled = state({
        alert: alert({ status }),
        lastChange: { actor: "UX", at: NOW - 60_000 },
      });
      const d = decide(handled, { kind: "snooze", hours: 24 }, responder, NOW, settings);
      expect(d.mute).toBeUndefined();
      expect(d.refused?.message).toMatch(/^Nothing changed: this alert is already .* by <@UX>\.$/);
      expect(d.show).toBe(true);
    }
  });
});

describe("deciding the person's answer", () => {
  const asked = { user: "UP", answer: null };
  const person: TriageActor = { id: "UP", notResponder: "not a responder", self: true };

  it("takes only the person asked, once", () => {
    expect(
      decide(state(), { kind: "answer", answer: "yes" }, person, NOW, settings).refused?.message,
    ).toBe("That question is not known here any more.");
    expect(
      decide(state({ asked }), { kind: "answer", answer: "no" }, responder, NOW, settings).refused
        ?.message,
    ).toBe("Only the person this question was sent to can answer it.");
    expect(
      decide(
        state({ asked: { ...asked, answer: "yes" } }),
        { kind: "answer", answer: "no" },
        person,
        NOW,
        settings,
      ).refused?.message,
    ).toBe("You have answered this already (yes).");
  });

  it("'yes' marks expected for the rules configured so, and stops reminders", () => {
    const d = decide(state({ asked }), { kind: "answer", answer: "yes" }, person, NOW, settings);
    expect(d).toMatchObject({
      answer: "yes",
      status: { to: "expected", note: "confirmed by the person" },
      reminders: "stop",
      told: { kind: "confirmed", expected: true },
    });
    const other = state({ asked, alert: alert({ ruleId: "mcp-burst" }) });
    expect(
      decide(other, { kind: "answer", answer: "yes" }, person, NOW, settings).status,
    ).toBeUndefined();
  });

  it("a responder's 'yes' about themselves is noted, and handles nothing", () => {
    const d = decide(
      state({ asked }),
      { kind: "answer", answer: "yes" },
      { ...person, notResponder: null },
      NOW,
      settings,
    );
    expect(d).toEqual({
      answer: "yes",
      answeredAsResponder: true,
      notes: ["the person asked answered yes, as a responder: another responder must handle it"],
      told: { kind: "confirmed", expected: false },
      show: true,
    });
  });

  it("'no' raises it to high, reopens it, ends the person's mutes and resumes reminders", () => {
    const handled = state({ asked, alert: alert({ status: "expected" }) });
    expect(decide(handled, { kind: "answer", answer: "no" }, person, NOW, settings)).toEqual({
      answer: "no",
      notes: ["the person asked answered no"],
      severity: "high",
      status: { to: "open", note: "the person said it was not them" },
      unmute: { reason: "<@UP> said an alert about them was not them" },
      reminders: "resume",
      told: { kind: "denied", reopened: true, confirmed: false },
      show: true,
    });
  });

  it("'no' on a true positive raises it to high and calls, but leaves it true positive", () => {
    const confirmed = state({ asked, alert: alert({ status: "true_positive" }) });
    expect(decide(confirmed, { kind: "answer", answer: "no" }, person, NOW, settings)).toEqual({
      answer: "no",
      notes: ["the person asked answered no"],
      severity: "high",
      unmute: { reason: "<@UP> said an alert about them was not them" },
      told: { kind: "denied", reopened: false, confirmed: true },
      show: true,
    });
  });
});

describe("what responders taught: mute 30 days or suppress", () => {
  const taught = (over: Partial<TriageState["learned"]> = {}) =>
    state({ learned: { expected: 3, mute: undefined, suppression: undefined, ...over } });

  it("is offered after 3 Expected within 30 days, or while a suppression stands", () => {
    expect(offersLearning(taught({ expected: 2 }).learned)).toBe(false);
    expect(offersLearning(taught().learned)).toBe(true);
    const suppression = { id: 1, by: "UR", at: NOW, reason: "r" };
    expect(offersLearning(taught({ expected: 0, suppression }).learned)).toBe(true);
  });

  it("never quiets a canary read, a posture contradiction or a person's 'not me', from any button", () => {
    for (const ruleId of ["mcp-canary", "mcp-posture-drift", "mcp-not-me", "mcp-hidden-by-mute"])
      for (const action of [
        { kind: "mute-30" },
        { kind: "suppress" },
        { kind: "expected-mute" },
        { kind: "snooze", hours: 4 },
      ] as const) {
        const taughtOne = { ...taught(), alert: alert({ ruleId }) };
        const d = decide(taughtOne, action, responder, NOW, settings);
        // The rules file can quiet a canary or a posture rule by naming it; nothing quiets what
        // a person's own answer raised (the file does not take those rules).
        expect(d.refused?.message, `${action.kind} on ${ruleId}`).toMatch(
          ruleId.startsWith("mcp-canary") || ruleId.startsWith("mcp-posture")
            ? /^Nothing changed: alerts of this rule are not muted or suppressed from Slack .* add a suppression naming the rule to the rules file\.$/
            : /^Nothing changed: an alert raised by a person's own answer \("not me"\) is never muted or suppressed: handle it with Acknowledge, Expected or True positive\.$/,
        );
        expect(d.mute ?? d.suppress ?? d.status).toBeUndefined();
      }
    // Expected alone still marks it, and another rule's alert is quieted as before.
    const canary = { ...taught(), alert: alert({ ruleId: "mcp-canary" }) };
    expect(decide(canary, { kind: "expected" }, responder, NOW, settings).status?.to).toBe(
      "expected",
    );
    expect(decide(taught(), { kind: "suppress" }, responder, NOW, settings).suppress).toBeDefined();
  });

  it("never quiets an alert naming neither account nor e-mail; one with an e-mail only it does", () => {
    const nobody = { userId: null, userEmail: null };
    for (const action of [
      { kind: "mute-30" },
      { kind: "suppress" },
      { kind: "expected-mute" },
      { kind: "snooze", hours: 4 },
    ] as const) {
      const d = decide({ ...taught(), alert: alert(nobody) }, action, responder, NOW, settings);
      expect(d.refused?.message, action.kind).toBe(NO_PERSON_KEY);
      expect(d.mute ?? d.suppress ?? d.status).toBeUndefined();
    }
    const unknown = { ...taught(), alert: alert(nobody) };
    expect(decide(unknown, { kind: "expected" }, responder, NOW, settings).status?.to).toBe(
      "expected",
    );
    const byEmail = { ...taught(), alert: alert({ userId: null }) };
    expect(decide(byEmail, { kind: "expected-mute" }, responder, NOW, settings).mute).toBeDefined();
  });

  it("never quiets an alert about the organization (a tool new to it): Expected still marks it", () => {
    const tool = { ...taught(), alert: alert({ ruleId: "mcp-new-tool", aboutOrganization: true }) };
    for (const action of [
      { kind: "mute-30" },
      { kind: "suppress" },
      { kind: "expected-mute" },
      { kind: "snooze", hours: 4 },
    ] as const) {
      const d = decide(tool, action, responder, NOW, settings);
      expect(d.refused?.message, action.kind).toBe(ABOUT_ORGANIZATION);
      expect(d.mute ?? d.suppress ?? d.status).toBeUndefined();
    }
    expect(decide(tool, { kind: "expected" }, responder, NOW, settings).status?.to).toBe(
      "expected",
    );
  });

  it("is refused before 3 Expected, a forged click changing nothing", () => {
    for (const kind of ["mute-30", "suppress"] as const) {
      const d = decide(taught({ expected: 2 }), { kind }, responder, NOW, settings);
      expect(d.refused?.message).toBe(
        "That is offered once 3 alerts of this rule about this person are marked expected within 30 days; 2 are.",
      );
      expect(d.mute ?? d.suppress ?? d.status).toBeUndefined();
    }
  });

  it("'Mute 30 days' mutes the rule and person 30 days and marks an open alert expected", () => {
    expect(decide(taught(), { kind: "mute-30" }, responder, NOW, settings)).toEqual({
      status: { to: "expected", note: null },
      reminders: "stop",
      mute: {
        until: NOW + 30 * 86_400_000,
        reason: "marked expected 3 times within 30 days; muted for 30 days",
      },
      notes: [
        "muted mcp-write alerts about this person for 30 days (marked expected 3 times within 30 days)",
      ],
      told: { kind: "learned", did: "mute-30" },
      show: true,
    });
  });

  it("'Mute 30 days' again while its mute runs changes nothing; a shorter mute it lengthens", () => {
    const mute = { until: NOW + 30 * 86_400_000 - 60_000, reason: "muted by <@UR>" };
    expect(decide(taught({ mute }), { kind: "mute-30" }, responder, NOW, settings)).toEqual({
      refused: { message: "Nothing changed: these alerts are muted already (muted by <@UR>)." },
      notes: [],
      show: true,
    });
    // Pressed again from another alert's offer, hours later.
    const earlier = { until: NOW + 30 * 86_400_000 - 5 * 3_600_000, reason: "muted by <@UR>" };
    expect(
      decide(taught({ mute: earlier }), { kind: "mute-30" }, responder, NOW, settings).refused,
    ).toBeDefined();
    const week = { until: NOW + 7 * 86_400_000, reason: "marked expected, muted for 7 days" };
    expect(
      decide(taught({ mute: week }), { kind: "mute-30" }, responder, NOW, settings).mute?.until,
    ).toBe(NOW + 30 * 86_400_000);
  });

  it("never quiets the rule and person from a true positive", () => {
    const confirmed = state({
      alert: alert({ status: "true_positive" }),
      learned: { expected: 3, mute: undefined, suppression: undefined },
      lastChange: { actor: "UX", at: NOW - 60_000 },
    });
    for (const kind of ["mute-30", "suppress"] as const)
      expect(decide(confirmed, { kind }, responder, NOW, settings).refused?.message).toBe(
        "Nothing changed: this alert is already marked true positive by <@UX>.",
      );
  });

  it("'Suppress' stores why, leaving a handled alert's status alone", () => {
    const handled = state({
      alert: alert({ status: "acknowledged" }),
      learned: { expected: 4, mute: undefined, suppression: undefined },
    });
    expect(decide(handled, { kind: "suppress" }, responder, NOW, settings)).toEqual({
      suppress: { reason: "marked expected 4 times within 30 days" },
      notes: [
        "suppressed mcp-write alerts about this person (marked expected 4 times within 30 days)",
      ],
      told: { kind: "learned", did: "suppress" },
      show: true,
    });
  });

  it("never on alerts about oneself, and never by whoever is not a responder", () => {
    for (const kind of ["mute-30", "suppress"] as const) {
      expect(
        decide(taught(), { kind }, { ...responder, self: true }, NOW, settings).refused,
      ).toEqual({
        message: SELF_TRIAGE,
        note: `refused ${kind}: someone else must handle alerts about them`,
      });
      expect(
        decide(taught(), { kind }, { ...responder, notResponder: "no" }, NOW, settings).refused,
      ).toEqual({ message: "no" });
    }
  });

  it("undoes a mute or a suppression, and says when there is none", () => {
    const suppression = { id: 9, by: "UR", at: NOW, reason: "r" };
    const mute = { until: NOW + 1, reason: "r" };
    expect(
      decide(taught({ suppression }), { kind: "unsuppress" }, responder, NOW, settings),
    ).toMatchObject({
      undo: "suppression",
      notes: ["removed suppression 9 of mcp-write alerts about this person"],
      told: { kind: "learned", did: "unsuppress" },
    });
    expect(decide(taught({ mute }), { kind: "unmute" }, responder, NOW, settings)).toMatchObject({
      undo: "mutes",
      notes: ["ended the mutes of mcp-write alerts about this person"],
    });
    expect(decide(taught(), { kind: "unmute" }, responder, NOW, settings).refused?.message).toBe(
      "Nothing to undo: no mute of these alerts is running.",
    );
    expect(
      decide(taught(), { kind: "unsuppress" }, responder, NOW, settings).refused?.message,
    ).toBe("Nothing to undo: these alerts are not suppressed.");
    expect(
      decide(taught({ suppression }), { kind: "suppress" }, responder, NOW, settings).refused
        ?.message,
    ).toBe("Nothing changed: these alerts are suppressed already by <@UR>.");
  });
});
