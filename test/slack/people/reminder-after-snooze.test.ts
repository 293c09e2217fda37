/**
 * A responder snoozes a high alert for 4 hours from its message's "Snooze 4 hours". Its reminders
 * wait for the snooze: none pages the responders during it ("nobody has acknowledged it"), the
 * thread says so, and the first comes when the snooze ends, still the first of two. A snooze of a
 * person's own alert does not hold an alert about the organization. Real Bolt, a signed click, the
 * fake Slack, a virtual clock.
 */
import { expect, it } from "vitest";
import { HOUR, MINUTE } from "../../../src/time-units.js";
import { askRig, firstUse, RESPONDER } from "./ask-rig.js";

it("a snoozed high alert is not reminded of during its snooze, and is when it ends", async () => {
  const a = await askRig();
  const { id, where } = await a.postAlert({ ruleId: "mcp-destructive" });
  a.clock.advance(5 * MINUTE);
  const snoozedAt = a.clock.now();
  await a.click("alert_snooze", RESPONDER, `${id}:4`, where, true);
  await a.waitForThread(where.ts, "snoozed");
  expect(a.thread(where.ts).find((t) => t.startsWith("💤"))).toContain(
    "no reminder of this alert comes before then.",
  );
  const reminders = () => a.thread(where.ts).filter((t) => t.startsWith("⏰"));
  // Past its reminder's time (2 hours after its post), and up to the snooze's end.
  for (const at of [2 * HOUR, 3 * HOUR, 4 * HOUR - MINUTE]) {
    a.clock.advance(snoozedAt + at - a.clock.now());
    await a.pass();
    expect(reminders(), `at ${at / MINUTE} minutes`).toEqual([]);
  }
  a.clock.advance(snoozedAt + 4 * HOUR - a.clock.now());
  await a.pass();
  expect(reminders()).toHaveLength(1);
  expect(reminders()[0]).not.toContain("This is the last reminder.");
  expect(a.alerts.get(id)?.status).toBe("open");
});

it("a snooze of a person's own alert does not hold the reminders of one about the organization", async () => {
  const a = await askRig("escalation:\n  minSeverity: medium\n");
  const personal = await a.postAlert(firstUse("p1@example.com", 1));
  a.clock.advance(5 * MINUTE);
  await a.click("alert_snooze", RESPONDER, `${personal.id}:24`, personal.where, true);
  await a.waitForThread(personal.where.ts, "snoozed");
  a.clock.advance(5 * MINUTE);
  // The same person's first call with an AI tool new to the organization: nothing quiets it.
  const org = await a.postAlert({
    ...firstUse("p1@example.com", 1),
    groupKey: "mcp-first-use|acc-1|app:Cursor",
    title: "p1@example.com's first MCP call with Cursor, an AI tool new to the organization",
    subject: "app:Cursor",
    aboutOrganization: true,
  });
  const postedAt = a.clock.now();
  for (const at of [2 * HOUR + MINUTE, 3 * HOUR]) {
    a.clock.advance(postedAt + at - a.clock.now());
    await a.pass();
  }
  expect(a.thread(org.where.ts).filter((t) => t.startsWith("⏰"))).toHaveLength(1);
  expect(a.thread(personal.where.ts).filter((t) => t.startsWith("⏰"))).toEqual([]);
}, 60_000);
