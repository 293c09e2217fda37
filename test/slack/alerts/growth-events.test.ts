import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { loadMigrations } from "../../../src/store/migrate.js";
import { MINUTE } from "../../../src/time-units.js";
import { MCP_TOOL_CALLED, normalizedEvent, T0 } from "../../detect/fixtures.js";
import { CHANNEL, slackRig } from "../setup.js";

/** The fake Slack, the real rules engine on the same database, and Alice's calls fed to both. */
async function engineRig(rulesYaml = "", options: Parameters<typeof slackRig>[0] = {}) {
  const r = await slackRig(options);
  r.stores.eventActions.replace("org-1", [MCP_TOOL_CALLED], () => false, T0);
  const engine = new DetectionEngine({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
    config: parseRulesText(rulesYaml, "rules.yml"),
  });
  let n = 0;
  /** Alice's call at `minutes` after T0, stored and judged then; what it queued is sent. */
  const call = async (minutes: number, over: Partial<NormalizedEvent> = {}) => {
    r.clock.advance(Math.max(0, T0 + minutes * MINUTE - r.clock.now()));
    const event = normalizedEvent({
      id: `call-${++n}`,
      time: r.clock.now(),
      ...over,
    });
    r.db.transaction(() => r.stores.events.insertMany([event], r.clock.now()))();
    engine.run();
    await r.poster.drain();
  };
  const thread = (ts: string) =>
    r.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === ts && m.ts !== ts)
      .map((m) => m.text);
  const top = (text: string) =>
    r.slack.messages(CHANNEL).find((m) => m.thread_ts === undefined && m.text.includes(text));
  return { ...r, call, thread, top };
}

describe("a growing alert's thread", () => {
  it("names each call that joined it, as the docs promise: one message a day, each call in its thread", async () => {
    const r = await engineRig();
    await r.call(-60); // Alice is known
    const deletes = ["OPS-1", "OPS-2", "HR-7", "FIN-99"];
    for (const [i, resource] of deletes.entries())
      await r.call(i * 12, { tool: "deleteJiraIssue", toolClass: "destructive", resource });
    const message = r.top("deleteJiraIssue");
    const shown = JSON.stringify([message?.blocks, r.thread(message?.ts ?? "")]);
    expect(deletes.filter((issue) => !shown.includes(issue))).toEqual([]);
    expect(r.thread(message?.ts ?? "")[0]).toMatch(
      /^Now 2 events[\s\S]*\n• .* · deleteJiraIssue \(destructive\) · jira · OPS-2$/,
    );
  });

  it("names, in one reply, every call that joined while the reply waited its 10 minutes", async () => {
    const r = await engineRig();
    await r.call(-60);
    await r.call(0, { tool: "deleteJiraIssue", toolClass: "destructive", resource: "OPS-1" });
    await r.call(1, { tool: "deleteJiraIssue", toolClass: "destructive", resource: "OPS-2" });
    for (const [i, resource] of ["HR-7", "FIN-99"].entries())
      await r.call(2 + i, { tool: "deleteConfluencePage", toolClass: "destructive", resource });
    await r.call(12);
    const message = r.top("deleteJiraIssue");
    const replies = r.thread(message?.ts ?? "");
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain("OPS-2");
    expect(replies[1]).toMatch(/^Now 4 events/);
    expect(replies[1]).toContain("HR-7");
    expect(replies[1]).toContain("FIN-99");
    expect(replies[1]).not.toContain("OPS-2");
  });

  it("names the latest calls after a reply that kept no position (an earlier release's)", async () => {
    const r = await engineRig();
    await r.call(-60);
    for (let i = 1; i <= 30; i++)
      await r.call(i * 0.1, {
        tool: "deleteJiraIssue",
        toolClass: "destructive",
        resource: `OLD-${i}`,
      });
    await r.call(11);
    r.db.exec(
      "UPDATE outbox SET data = json_object('due', json_extract(data, '$.due')) WHERE kind = 'alert-grew'",
    );
    await r.call(30, { tool: "deleteJiraIssue", toolClass: "destructive", resource: "NEW-1" });
    const message = r.top("deleteJiraIssue");
    const last = r.thread(message?.ts ?? "").at(-1) ?? "";
    expect(last).toMatch(/^Now 31 events[\s\S]*\n… 20 earlier, then:\n/);
    expect(last).toContain("OLD-30");
    expect(last).toMatch(/NEW-1$/);
    expect(last).toMatch(/OLD-22$/m);
    expect(last).not.toMatch(/OLD-21$/m);
  });

  it("gets one reply when Slack is back after six hours down, saying the count then", async () => {
    const r = await engineRig();
    await r.call(-60);
    const destructive = { tool: "deleteJiraIssue", toolClass: "destructive" as const };
    await r.call(0, { ...destructive, resource: "OPS-0" });
    const ts = r.top("deleteJiraIssue")?.ts ?? "";
    expect(r.thread(ts)).toEqual([]);
    // Every post and update answered 500 while Alice goes on: a call each 12 minutes.
    let down = true;
    r.slack.failNext("chat.postMessage", { status: 500 }, 100_000, () => down);
    r.slack.failNext("chat.update", { status: 500 }, 100_000, () => down);
    for (let i = 1; i <= 30; i++) await r.call(i * 12, { ...destructive, resource: `OPS-${i}` });
    down = false;
    // Back: past any backoff, then sending a minute at a time until the thread has its reply.
    r.clock.advance(16 * MINUTE);
    for (let i = 0; i < 20 && r.thread(ts).length === 0; i++) {
      r.clock.advance(MINUTE);
      await r.poster.drain();
    }
    for (let i = 0; i < 20; i++) await r.poster.drain();
    const replies = r.thread(ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^Now 31 events/);
    expect(replies[0]).toMatch(/OPS-30$/);
    // The next waits ten minutes after that reply was sent, not after it was first due.
    await r.call((r.clock.now() - T0) / MINUTE + 1, { ...destructive, resource: "OPS-31" });
    expect(r.thread(ts)).toHaveLength(1);
    r.clock.advance(10 * MINUTE);
    await r.poster.drain();
    expect(r.thread(ts)).toHaveLength(2);
    expect(r.thread(ts)[1]).toMatch(/^Now 32 events[\s\S]*OPS-31$/);
  });

  it("names the watched place that made it high", async () => {
    const r = await engineRig(
      "watch:\n  - { project: ENG, severity: medium }\n  - { project: PAY, severity: high }\n",
    );
    await r.call(-60, { resource: "OPS-1" });
    await r.call(0, { resource: "ENG-1" });
    await r.call(180, { resource: "PAY-42" });
    const message = r.top("watched");
    expect(JSON.stringify(r.thread(message?.ts ?? ""))).toContain("PAY-42");
  });

  it("shows, once retitled, the call its new title names: its What, Where and AI tool", async () => {
    const r = await engineRig(
      "watch:\n  - { project: ENG, severity: medium }\n  - { project: PAY, severity: high }\n",
    );
    await r.call(-60, { resource: "OPS-1" });
    await r.call(0, { resource: "ENG-1", clientApp: "Claude" });
    await r.call(1, { resource: "PAY-42", clientApp: "Cursor", siteHost: "beta.atlassian.net" });
    const message = r.top("watched");
    expect(message?.text).toMatch(/^\[HIGH\].*watched project PAY/);
    const fields = JSON.stringify(message?.blocks);
    expect(fields).toMatch(/\*What\*\\n[^"]*PAY-42/);
    expect(fields).toMatch(/\*Where\*\\n[^"]*beta\.atlassian\.net/);
    expect(fields).toMatch(/\*AI tool\*\\nCursor/);
    // Drawn again (after a click, in a roll-up's place): the same call.
    const alert = r.stores.alerts.list("org-1").find((a) => a.title.includes("PAY"));
    expect(alert && JSON.stringify(r.render(alert).blocks)).toMatch(/\*What\*\\n[^"]*PAY-42/);
  });

  it("says first, mentioning the responders, that it became high: its update notifies nobody", async () => {
    const r = await engineRig(
      "watch:\n  - { project: ENG, severity: medium }\n  - { project: PAY, severity: high }\n",
      { mention: () => "<!subteam^S0RESPOND>" },
    );
    await r.call(-60, { resource: "OPS-1" });
    await r.call(0, { resource: "ENG-1" });
    await r.call(1, { resource: "ENG-2" });
    // A reply was sent a minute ago: the next waits ten minutes, unless the alert became high.
    await r.call(2, { resource: "ENG-3" });
    const ts = r.top("watched")?.ts ?? "";
    expect(r.thread(ts)).toHaveLength(1);
    expect(r.thread(ts)[0]).not.toMatch(/HIGH/);
    await r.call(3, { userName: "<!channel>", resource: "PAY-42" });
    const replies = r.thread(ts);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(
      /^Now HIGH: &lt;!channel&gt;'s AI tool touched watched project PAY <!subteam\^S0RESPOND>\nNow 4 events/,
    );
    expect(replies[1]).toContain("ENG-3");
    // High already in its thread: the next growth says nothing new.
    await r.call(30, { resource: "PAY-43" });
    expect(r.thread(ts)).toHaveLength(3);
    expect(r.thread(ts)[2]).toMatch(/^Now 5 events/);
  });

  it("names what each joined finding was: the second person made admin", async () => {
    const r = await engineRig();
    await r.call(-60); // Alice is known
    const made = (name: string) =>
      JSON.stringify({
        attributes: { context: [{ id: name, type: "user", attributes: { name } }] },
      });
    const admin = { isMcp: false, mcpBasis: null, tool: null, toolClass: null, resource: null };
    await r.call(0, { ...admin, action: "added_org_admin", raw: made("Bob") });
    await r.call(1, { ...admin, action: "added_org_admin", raw: made("Mallory") });
    await r.call(12);
    // The account acted on is the alert's subject (what a mute set from it covers), not its group.
    expect(r.top("Organization admin granted for Mallory")).toBeUndefined();
    const grant = r.top("Organization admin granted for Bob");
    expect(r.thread(grant?.ts ?? "")[0]).toMatch(
      /^Now 2 events[\s\S]*\n• .* · Organization admin granted for Mallory by Alice Example$/,
    );
  });

  it("names a newcomer's first call on another site in the first-use thread", async () => {
    const r = await engineRig();
    const bob = { userId: "acc-bob", userName: "Bob", userEmail: "bob@example.com" };
    await r.call(0, { ...bob, actorId: "acc-bob", actorName: "Bob" });
    await r.call(1, {
      ...bob,
      actorId: "acc-bob",
      actorName: "Bob",
      siteHost: "beta.atlassian.net",
      resource: "XYZ-5",
    });
    await r.call(12, { ...bob, actorId: "acc-bob", actorName: "Bob" });
    const first = r.top("First MCP call by Bob");
    expect(r.thread(first?.ts ?? "")[0]).toContain(
      "Bob's first MCP call on beta.atlassian.net · getJiraIssue",
    );
  });
});

/**
 * What a release before 0040 left in the outbox (no severity on an alert's post, none shown on
 * its replies), then the upgrade's migration 0040.
 */
function upgradedFromEarlierRelease(db: { exec(sql: string): unknown }): void {
  db.exec(
    "UPDATE outbox SET data = json_remove(data, '$.severity', '$.shown') WHERE kind IN ('alert', 'alert-grew')",
  );
  const migration = loadMigrations().find((m) => m.version === 40);
  if (!migration) throw new Error("no migration 0040");
  db.exec(migration.sql);
}

describe("an alert that became high while Slack refused the reply saying so", () => {
  it("says so, calling the responders, at its next growth: the thread never showed it", async () => {
    const r = await engineRig(
      "watch:\n  - { project: ENG, severity: medium }\n  - { project: PAY, severity: high }\n",
      { mention: () => "<!subteam^S0RESPOND>" },
    );
    await r.call(-60, { resource: "OPS-1" });
    await r.call(0, { resource: "ENG-1" });
    const ts = r.top("watched")?.ts ?? "";
    const inThread = (p: Record<string, unknown>) => p.thread_ts !== undefined;
    r.slack.failNext("chat.postMessage", { error: "invalid_blocks" }, 1, inThread);
    await r.call(1, { resource: "PAY-42" });
    expect(r.thread(ts)).toEqual([]);
    await r.call(30, { resource: "PAY-43" });
    const replies = r.thread(ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^Now HIGH: .*<!subteam\^S0RESPOND>/);
    // It names the calls since the reply shown last (none): PAY-42's too.
    expect(replies[0]).toContain("PAY-42");
  });
});

describe("an alert an earlier release posted, after the upgrade (migration 0040)", () => {
  const rules =
    "watch:\n  - { project: ENG, severity: medium }\n  - { project: PAY, severity: high }\n";

  it("says it became high, at once, while that release's growth reply waits", async () => {
    const r = await engineRig(rules, { mention: () => "<!subteam^S0RESPOND>" });
    await r.call(-60, { resource: "OPS-1" });
    await r.call(0, { resource: "ENG-1" });
    await r.call(1, { resource: "ENG-2" });
    await r.call(2, { resource: "ENG-3" }); // a reply waits its 10 minutes
    const ts = r.top("watched")?.ts ?? "";
    upgradedFromEarlierRelease(r.db);
    await r.call(3, { resource: "PAY-42" });
    const replies = r.thread(ts);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(/^Now HIGH: .*<!subteam\^S0RESPOND>/);
  });

  it("says it became high after that release's last reply was sent", async () => {
    const r = await engineRig(rules, { mention: () => "<!subteam^S0RESPOND>" });
    await r.call(-60, { resource: "OPS-1" });
    await r.call(0, { resource: "ENG-1" });
    await r.call(1, { resource: "ENG-2" });
    const ts = r.top("watched")?.ts ?? "";
    upgradedFromEarlierRelease(r.db);
    await r.call(30, { resource: "PAY-42" });
    const replies = r.thread(ts);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(/^Now HIGH: .*<!subteam\^S0RESPOND>/);
  });
});
