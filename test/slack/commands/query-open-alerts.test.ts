/**
 * docs/query-language.md: `user:…` shows "the 10 newest open alerts about them (with how many
 * more)", also when the window or another term finds none of the person's calls: a responder
 * asking about a quiet stretch is not told "No MCP activity matches" alone about someone with open
 * alerts.
 */
import { describe, expect, it } from "vitest";
import { queryRig } from "./query-rig.js";

describe("/mcp-activity user: … open alerts about them", () => {
  it("lists them when the window or a filter finds none of the person's calls", async () => {
    const c = await queryRig();
    const now = c.clock.now();
    const seq = c.stores.events.maxSeq("org-1");
    for (let n = 0; n < 12; n++)
      c.stores.alerts.insert({
        orgId: "org-1",
        ruleId: "mcp-destructive",
        severity: "high",
        groupKey: `g|${n}`,
        title: `alert ${n} about bob`,
        detail: {},
        userId: "acc-1",
        userName: "Bob Builder",
        userEmail: "bob@example.com",
        authKind: "oauth",
        firstEventSeq: seq,
        lastEventSeq: seq,
        firstSeen: now - 3_600_000,
        lastSeen: now - 3_600_000,
        eventCount: 1,
        tools: ["deleteJiraIssue"],
        late: false,
        suppressedBy: null,
        notify: true,
        createdAt: now - 3_600_000 + n,
      });
    // With calls in the window: the 10 newest and "…and 2 older open alerts".
    const busy = (await c.ask("user:bob@example.com since:7d")).text;
    expect(busy).toContain("Open alerts for these people");
    expect(busy).toContain("and 2 older open alerts");
    // Bob's last call was 11 minutes ago; he has no write calls at all.
    for (const q of [
      "user:bob@example.com since:10m",
      "user:bob@example.com class:write since:7d",
    ]) {
      const quiet = (await c.ask(q)).text;
      expect(quiet).toContain("No MCP activity matches");
      expect(quiet, q).toContain("Open alerts for these people");
      expect(quiet, q).toContain("and 2 older open alerts");
    }
  });
});
