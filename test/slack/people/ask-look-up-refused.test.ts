/**
 * Slack refusing to look the person behind an alert up by e-mail (users.lookupByEmail): for good
 * (an app installed without users:read.email), or for a while (an outage). Real Bolt, the fake
 * Slack on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { askRig, firstUse } from "./ask-rig.js";

const NO_EMAIL_SCOPE = {
  error: "missing_scope",
  fields: { needed: "users:read.email", provided: "chat:write,users:read" },
};

/** A high alert (reminded of, not asked about) and a first use (asked about), three hours of passes. */
async function threeHours(a: Awaited<ReturnType<typeof askRig>>, email = "p2@example.com") {
  const high = await a.postAlert({ ruleId: "mcp-destructive", severity: "high" });
  const first = await a.postAlert(firstUse(email, 2));
  for (let i = 0; i < 12; i++) {
    a.clock.advance(HOUR / 4);
    await a.pass();
  }
  return { high, first };
}

const reminders = (a: Awaited<ReturnType<typeof askRig>>, ts: string) =>
  a.thread(ts).filter((t) => t.startsWith("⏰"));

const warnings = (a: Awaited<ReturnType<typeof askRig>>) =>
  a.logs
    .lines()
    .filter((l) => Number(l.level) >= 40)
    .map((l) => String(l.msg));

describe("the person behind an alert refused for good (missing_scope)", () => {
  it("is not asked, and the thread names the scope to add; other alerts are still reminded of", async () => {
    const a = await askRig();
    a.slack.failNext("users.lookupByEmail", NO_EMAIL_SCOPE, 100);
    const { high, first } = await threeHours(a);
    expect(a.thread(first.where.ts)).toEqual([
      "Not asked: p2@example.com could not be looked up in Slack (missing_scope: the Slack app lacks a scope: add the users:read.email scope to the Slack app and reinstall it).",
    ]);
    expect(a.store.get("org-1", first.id)).toMatchObject({ askState: "not-asked" });
    expect(a.slack.callsTo("users.lookupByEmail")).toHaveLength(1);
    expect(reminders(a, high.where.ts)).toHaveLength(1);
    // The log says which alert and what to fix; the address is the thread's alone
    // (docs/configuration.md: only LOG_LEVEL=trace adds people's e-mails).
    expect(warnings(a)).toEqual([
      `alert ${first.id}: its person was not asked: Slack refused to look them up by e-mail (missing_scope: the Slack app lacks a scope: add the users:read.email scope to the Slack app and reinstall it)`,
    ]);
    expect(a.logs.text()).not.toContain("p2@example.com");
  });
});

describe("the person behind an alert not looked up for a while (Slack answers 500)", () => {
  it("is asked once Slack answers, and reminders go on meanwhile, the wait said once", async () => {
    const a = await askRig();
    let down = true;
    a.slack.failNext("users.lookupByEmail", { status: 500 }, 100, () => down);
    const { high, first } = await threeHours(a, "p1@example.com");
    expect(a.thread(first.where.ts)).toEqual([]);
    expect(reminders(a, high.where.ts)).toHaveLength(1);
    expect(warnings(a)).toEqual([
      "questions to the people behind alerts wait (HTTP 500): they are asked next pass; reminders go on",
    ]);
    down = false;
    a.clock.advance(HOUR / 4);
    await a.pass();
    expect(a.dm()).toHaveLength(1);
    expect(a.logs.text()).toContain(
      "follow-ups resume (they were held back: questions to the people behind alerts wait (HTTP 500))",
    );
  });
});
