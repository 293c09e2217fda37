/**
 * MCP calls whose events name no account id (an API token naming an e-mail only, or a name only)
 * are people as detection keys them: by e-mail, else name, and an e-mail that one account's calls
 * carry is that account's person (one two accounts' calls carried is counted apart). They count
 * among the digest's people, rank among its top people and can be new. A real SQLite file written
 * by the store, the digest read back by the built CLI.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
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

/** A call at `hour` of the period by Ann's account (OAuth), which names her e-mail too. */
function byAccount(hour: number): NormalizedEvent {
  const base = normalizedEvent();
  const time = SINCE + hour * HOUR;
  return {
    ...base,
    id: `acc-${hour}`,
    time,
    processedAt: time + 5_000,
    userId: "acc-ann",
    userName: "Ann",
    userEmail: "ann@example.com",
    actorId: "acc-ann",
    actorName: "Ann",
    actorEmail: "ann@example.com",
    clientApp: null,
  };
}

describe("one person, by her account and by an API token naming her e-mail only", () => {
  it("is one person, ranked once by her name, and not new when her account called before", async () => {
    const out = await dryRunDigestOf([
      byAccount(-20), // the day before: Ann has used MCP
      byAccount(2),
      unaccounted(3, "ann@example.com"),
    ]);
    expect(out).toMatch(/^2 MCP calls .*· 1 person /m);
    expect(section(out, "Top people")[0]).toBe("2 · Ann");
    expect(out).not.toContain("· ann@example.com");
    const newcomers = (out.split("People who used MCP for the first time")[1] ?? "").split(
      "API-token MCP use",
    )[0];
    expect(newcomers ?? "").not.toContain("ann");
  });

  it("is not new when only her token's calls came before", async () => {
    const out = await dryRunDigestOf([
      unaccounted(-20, "ann@example.com"), // the day before, by the token
      byAccount(2),
    ]);
    expect(out).not.toContain("People who used MCP for the first time");
  });
});

/** A call at `hour` of the period by the account `id` named `name`, carrying ops@example.com. */
function byHolder(hour: number, id: string, name: string): NormalizedEvent {
  return {
    ...byAccount(hour),
    id: `acc-${id}-${hour}`,
    userId: id,
    userName: name,
    userEmail: "ops@example.com",
    actorId: id,
    actorName: name,
    actorEmail: "ops@example.com",
  };
}

describe("an e-mail two accounts carried (it changed hands)", () => {
  it("a token's call naming only that e-mail is counted apart, not as the old holder's", async () => {
    const out = await dryRunDigestOf([
      byHolder(1, "acc-aaa-old", "Oscar"), // the old holder, before handing the e-mail over
      byHolder(2, "acc-zzz-new", "Nora"), // the new holder
      unaccounted(3, "ops@example.com"), // a token naming only the e-mail
    ]);
    expect(out).toMatch(/^3 MCP calls .*· 3 people /m);
    expect(section(out, "Top people").slice(0, 3)).toEqual([
      "1 · Nora",
      "1 · Oscar",
      "1 · ops@example.com",
    ]);
  });

  it("a new holder whose first call is in the period is new, whatever a token of that e-mail did before", async () => {
    const out = await dryRunDigestOf([
      byHolder(-30, "acc-zzz-old", "Oscar"), // the old holder, long before
      unaccounted(-20, "ops@example.com"), // a token naming only the e-mail, the day before
      byHolder(2, "acc-aaa-new", "Nora"), // Nora's first MCP call
    ]);
    const newcomers = (out.split("People who used MCP for the first time")[1] ?? "").split(
      "API-token MCP use",
    )[0];
    expect(newcomers ?? "").toContain("• Nora");
  });
});

describe("the weekly digest's new tools", () => {
  it("count the person of a call naming no account id, as one with her account's calls", async () => {
    const path = join(tempDir(), "weekly.db");
    const db = openStore(path);
    const stores = repositories(db);
    const calls = [
      { ...unaccounted(2, "ann@example.com"), tool: "getConfluencePage" },
      { ...byAccount(3), tool: "getConfluencePage" },
      { ...unaccounted(4, "svc@example.com"), tool: "getConfluencePage" },
    ];
    stores.transaction(() => stores.events.insertMany(calls, SINCE + 2 * 86_400_000));
    db.close();
    const out = await runCli(["digest", "--dry-run", "--weekly", "--date", "2026-11-25"], {
      DATABASE_PATH: path,
      ATLASSIAN_ORG_ID: "org-1",
      DIGEST_WEEKLY_CRON: "0 9 * * 3",
      LOG_LEVEL: "warn",
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^3 MCP calls \(new\) · 2 people \(new\)/m);
    expect(out.stdout).toContain("getConfluencePage (3 calls, 2 people)");
  });
});
