/**
 * The messages that stand for many alerts (a backlog's summary, the hour's roll-up) count by
 * person each account once, named by its newest alert, with the e-mail beside a name shown twice.
 */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/domain/alert.js";
import { overflowSummary, rollupMessage } from "../../src/slack/blocks/summary.js";
import { anAlert, T0 } from "../detect/fixtures.js";

const alerts: Alert[] = [
  anAlert({ id: 1, userId: "acc-dana", userName: "Dana Smith", userEmail: "dana@acme.com" }),
  anAlert({ id: 2, userId: "acc-dana", userName: "Dana Novak", userEmail: "dana@acme.com" }),
  anAlert({ id: 3, userId: "acc-dana", userName: "Dana Novak", userEmail: "dana@acme.com" }),
  anAlert({ id: 4, userId: "acc-alex-1", userName: "Alex Kim", userEmail: "alex@acme.com" }),
  anAlert({ id: 5, userId: "acc-alex-2", userName: "Alex Kim", userEmail: "a<b>@labs.io" }),
];

const byPerson = (m: { blocks: unknown[] }) =>
  (m.blocks as Array<{ fields?: Array<{ text: string }> }>).flatMap((b) => b.fields ?? [])[1]?.text;

describe("alerts counted by person", () => {
  it("count each account once, by the name of its newest alert, with the e-mail beside a name shown twice", () => {
    const expected =
      "*By person*\n• Dana Novak: 3\n• Alex Kim (a&lt;b&gt;@labs.io): 1\n• Alex Kim (alex@acme.com): 1";
    expect(byPerson(overflowSummary(alerts, "org-1"))).toBe(expected);
    expect(byPerson(rollupMessage(alerts, { orgId: "org-1", hour: T0, maxPerHour: 1 }))).toBe(
      expected,
    );
  });
});
