/**
 * The messages that stand for many alerts (a backlog's summary, the hour's roll-up) pass the
 * checks the fake Slack makes of every message, whatever the names, e-mails, titles and rules of
 * the alerts they count: long, colliding, full of what escaping lengthens.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/domain/alert.js";
import { overflowSummary, rollupMessage } from "../../src/slack/blocks/summary.js";
import { anAlert, T0 } from "../detect/fixtures.js";
import { checkContent, DEFAULT_LIMITS } from "../fakes/slack-limits.js";

/** Text of up to `max` characters, heavy in what escaping lengthens or hides. */
const hostile = (max: number) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom("<", ">", "&", "*", "_", "~", "`", "#", "://", "\n", "\u202e", "\u200b"),
        fc.constantFrom("Alex Kim", "x", "é", "👩‍💻", " "),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: max, size: "max" },
    )
    .map((parts) => parts.join("").slice(0, max));

/** Few names and e-mails for many accounts, so that names collide and e-mails are shown. */
const alertsOf = fc
  .record({
    names: fc.array(hostile(300), { minLength: 1, maxLength: 3 }),
    emails: fc.array(fc.option(hostile(300)), { minLength: 1, maxLength: 15 }),
    titles: fc.array(hostile(400), { minLength: 1, maxLength: 3 }),
    rules: fc.array(hostile(150), { minLength: 1, maxLength: 14 }),
    picks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(20)), {
      minLength: 1,
      maxLength: 80,
    }),
  })
  .map(({ names, emails, titles, rules, picks }): Alert[] =>
    picks.map(([n, e, t, r, account], i) =>
      anAlert({
        id: i + 1,
        severity: i % 4 === 0 ? "high" : "medium",
        userId: `acc-${account}`,
        userName: names[n % names.length] ?? null,
        userEmail: emails[e % emails.length] ?? null,
        title: titles[t % titles.length] ?? "",
        ruleId: rules[r % rules.length] ?? "",
      }),
    ),
  );

const accepted = (m: { text: string; blocks: unknown[]; metadata?: unknown }) =>
  checkContent({ ...m }, DEFAULT_LIMITS, true);

describe("many alerts in one message, against Slack's limits", () => {
  it("a backlog's summary is always accepted", () => {
    fc.assert(
      fc.property(alertsOf, fc.option(hostile(300), { nil: undefined }), (alerts, org) => {
        expect(accepted(overflowSummary(alerts, "org-1", org))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("the hour's roll-up is always accepted", () => {
    fc.assert(
      fc.property(alertsOf, fc.option(hostile(300), { nil: undefined }), (alerts, org) => {
        const message = rollupMessage(alerts, {
          orgId: "org-1",
          hour: T0,
          maxPerHour: 10,
          ...(org === undefined ? {} : { organization: org }),
          postedAlone: new Set(alerts.filter((a) => a.id % 3 === 0).map((a) => a.id)),
        });
        expect(accepted(message)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
