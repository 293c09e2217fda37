/**
 * Mutes of people whose events name no account id: keyed by their e-mail, never shared with
 * another such person; an alert naming neither account nor e-mail offers nothing to quiet. Real
 * Bolt in HTTP mode, signed clicks, the fake Slack Web API, a real SQLite file, the engine.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { event } from "../../detect/engine-rig.js";
import { RESPONDER } from "../people/ask-rig.js";
import { CHANNEL } from "../setup.js";
import { judgingRig } from "./judging-rig.js";

const who = (name: string | null, email: string | null) => ({
  userId: null,
  actorId: null,
  userName: name,
  actorName: name,
  userEmail: email,
  actorEmail: email,
});

async function rig() {
  const { a, judge } = await judgingRig();
  const remove = (person: ReturnType<typeof who>, over: Parameters<typeof event>[0] = {}) =>
    event({
      ...person,
      tool: "deleteJiraIssue",
      toolClass: "destructive",
      time: a.clock.now(),
      ...over,
    });
  const destructive = () =>
    a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-destructive");
  const messageOf = (id: number) =>
    a.slack
      .messages(CHANNEL)
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${id}"`));
  return { ...a, judge, remove, destructive, messageOf };
}

describe("'Expected, mute 7 days' on an alert whose event names no account id", () => {
  it("mutes that person by their e-mail, not another person without an account id", async () => {
    const a = await rig();
    const mallory = who("Mallory", "mallory@acme.test");
    await a.judge(a.remove(mallory));
    const [first] = a.destructive();
    if (!first) throw new Error("no alert about Mallory");
    const where = { channel: CHANNEL, ts: a.messageOf(first.id)?.ts ?? "" };
    expect(where.ts).not.toBe("");
    await a.click("alert_expected_mute", RESPONDER, String(first.id), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    // Listed in settings under her name, with the alert whose Undo ends it.
    expect(a.stores.mutes.list(a.clock.now())).toMatchObject([
      { userKey: "email:mallory@acme.test", person: "Mallory", alertId: first.id },
    ]);
    // A day later (a new group): Eve, also without an account id, deletes a page; so does Mallory.
    a.clock.advance(25 * HOUR);
    await a.judge(
      a.remove(who("Eve", "eve@acme.test"), {
        tool: "deleteConfluencePage",
        product: "confluence",
        resource: "Payroll (4242)",
      }),
    );
    await a.judge(a.remove(mallory, { resource: "OPS-9" }));
    const later = a.destructive().filter((x) => x.id !== first.id);
    expect(later.map((x) => [x.title, x.notify, x.suppressedBy])).toEqual([
      ["deleteConfluencePage by Eve", true, null],
      [
        "deleteJiraIssue by Mallory",
        false,
        expect.stringMatching(/^marked expected on alert \d+, muted for 7 days/),
      ],
    ]);
  }, 60_000);
});

describe("an alert whose events name neither account id nor e-mail", () => {
  it("offers no button that quiets later alerts, and a crafted one changes nothing", async () => {
    const a = await rig();
    await a.judge(a.remove(who("Trent", null)));
    const [alert] = a.destructive();
    if (!alert) throw new Error("no alert about Trent");
    const message = a.messageOf(alert.id);
    const shown = JSON.stringify(message?.blocks ?? []);
    expect(shown).toContain('"alert_acknowledge"');
    expect(shown).not.toContain('"alert_expected_mute"');
    expect(shown).not.toContain('"alert_snooze"');
    expect(shown).toContain("No mute or snooze: this alert's events name no account or e-mail");
    const where = { channel: CHANNEL, ts: message?.ts ?? "" };
    await a.click("alert_expected_mute", RESPONDER, String(alert.id), where);
    await a.slack.waitFor(() => a.slack.responses.length === 1, 5000, "the refusal");
    expect(String(a.slack.responses[0]?.body.text)).toMatch(
      /^Nothing changed: this alert's events name no account or e-mail/,
    );
    expect(a.stores.alerts.get(alert.id)?.status).toBe("open");
    expect(a.stores.mutes.list(a.clock.now())).toEqual([]);
  }, 60_000);
});
