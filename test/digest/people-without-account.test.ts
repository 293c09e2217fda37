/**
 * MCP calls whose events name no account id (an API token naming an e-mail only, or a name only)
 * are people as detection keys them: by e-mail, else name. They count among the digest's people,
 * rank among its top people and can be new. A real SQLite file written by the store, the digest
 * read back by the built CLI.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { dryRunDigestOf, SINCE } from "./dry-run-of.js";

/** An API-token call at `hour` of the period (negative: before it) naming no account id. */
function unaccounted(
  hour: number,
  email: string | null,
  name: string | null = null,
): NormalizedEvent {
  const base = normalizedEvent();
  const time = SINCE + hour * HOUR;
  return {
    ...base,
    id: `noid-${hour}-${email ?? name}`,
    time,
    processedAt: time + 5_000,
    userId: null,
    userName: name,
    userEmail: email,
    actorId: null,
    actorName: name,
    actorEmail: email,
    authKind: "api-token",
    authType: "api-token",
    clientApp: null,
  };
}

const section = (out: string, title: string) => (out.split(`${title}\n`)[1] ?? "").split("\n");

describe("calls naming no account id", () => {
  it("count, rank and are new by e-mail, else name", async () => {
    const out = await dryRunDigestOf([
      unaccounted(-20, "svc-a@example.com"), // the day before: svc-a is not new
      unaccounted(2, "svc-a@example.com"),
      unaccounted(3, "svc-a@example.com"),
      unaccounted(4, "svc-b@example.com"),
      unaccounted(5, null, "Trent"),
    ]);
    expect(out).toMatch(/^4 MCP calls \(▲300%\) · 3 people \(▲200%\) · /m);
    expect(section(out, "Top people").slice(0, 3)).toEqual([
      "2 · svc-a@example.com",
      "1 · Trent",
      "1 · svc-b@example.com",
    ]);
    const newcomers = (out.split("People who used MCP for the first time")[1] ?? "").split(
      "API-token MCP use",
    )[0];
    expect(newcomers).toContain("• svc-b@example.com (first tool: getJiraIssue)");
    expect(newcomers).toContain("• Trent (first tool: getJiraIssue)");
    expect(newcomers).not.toContain("svc-a");
  });
});

describe("API-token accounts naming no account id, one name, two e-mails", () => {
  it("are two accounts, told apart by their e-mails", async () => {
    const out = await dryRunDigestOf([
      unaccounted(2, "svc-a@example.com", "svc-bot"),
      unaccounted(3, "svc-b@example.com", "svc-bot"),
    ]);
    expect(out).toContain("2 MCP calls (new) · 2 people (new)");
    expect(out).toContain("2 calls by svc-bot (svc-a@example.com), svc-bot (svc-b@example.com)");
  });
});
