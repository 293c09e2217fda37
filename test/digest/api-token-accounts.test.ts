/**
 * The digest's "API-token MCP use" counts accounts, not display names: two token accounts of one
 * name are two, a renamed one is one (by its newest name), and a name shown twice has its e-mail.
 * A real SQLite file written by the store; the digest read back by the built CLI.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { dryRunDigestOf, SINCE } from "./dry-run-of.js";

/** The n-th token call of the period, a minute after the one before. */
function tokenCall(n: number, userId: string, userName: string, userEmail: string | null = null) {
  const base = normalizedEvent();
  const call: NormalizedEvent = {
    ...base,
    id: `tok-${n}`,
    time: SINCE + HOUR + n * 60_000,
    processedAt: SINCE + HOUR + n * 60_000 + 5_000,
    userId,
    userName,
    userEmail,
    actorId: userId,
    actorName: userName,
    actorEmail: userEmail,
    authKind: "api-token",
    authType: "api-token",
    clientApp: null,
  };
  return call;
}

/** Ten token accounts of ten names, one call each, the period's first. */
const tenAccounts = Array.from({ length: 10 }, (_, i) => tokenCall(i, `acc-svc-${i}`, `svc-${i}`));

/** The digest's line of API-token use. */
async function tokenLine(events: NormalizedEvent[]): Promise<string> {
  const out = await dryRunDigestOf(events);
  return out.split("\n").find((l) => /^\d+ calls? by /.test(l)) ?? "(no API-token line)";
}

describe("the digest's API-token accounts", () => {
  it("counts two accounts of one display name as two, each told by its id without an e-mail", async () => {
    const line = await tokenLine([
      ...tenAccounts,
      tokenCall(10, "acc-automation-jira", "Automation"),
      tokenCall(11, "acc-automation-confluence", "Automation"),
    ]);
    // Ten are named, in name order (no account has more calls): svc-8 and svc-9 are the 2 more.
    expect(line).toBe(
      "12 calls by Automation (acc-automation-confluence), Automation (acc-automation-jira), svc-0, svc-1, svc-2, svc-3, svc-4, svc-5, svc-6, svc-7 and 2 more",
    );
  });

  it("counts an account renamed within the period once, by its newest name", async () => {
    const line = await tokenLine([
      tokenCall(20, "acc-bot", "svc-new-name"),
      tokenCall(21, "acc-bot", "svc-new-name"),
      tokenCall(0, "acc-bot", "svc-old-name"), // stored last, made first
      ...tenAccounts.slice(1),
    ]);
    expect(line).toBe(
      "12 calls by svc-new-name, svc-1, svc-2, svc-3, svc-4, svc-5, svc-6, svc-7, svc-8, svc-9",
    );
  });

  it("names two accounts of one display name by their e-mails too", async () => {
    const line = await tokenLine([
      tokenCall(0, "acc-automation-jira", "Automation", "jira-bot@acme.com"),
      tokenCall(1, "acc-automation-jira", "Automation", "jira-bot@acme.com"),
      tokenCall(2, "acc-automation-confluence", "Automation", "wiki-bot@acme.com"),
      tokenCall(3, "acc-reports", "Reports", "reports@acme.com"),
    ]);
    expect(line).toBe(
      "4 calls by Automation (jira-bot@acme.com), Automation (wiki-bot@acme.com), Reports",
    );
  });
});
