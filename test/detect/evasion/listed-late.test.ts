/**
 * Calls stored promptly under an action Atlassian's catalogue lists as MCP only days later: their
 * alerts, raised when the rules judge them again, are late news, and a person's first call is not
 * said twice. The real pipeline (see rig.ts).
 */
import { describe, expect, it } from "vitest";
import { repositories } from "../../../src/store/repositories.js";
import { DAY, MINUTE, pipeline } from "./rig.js";

const KEY = "rovo_agent_tool_invoked";
type Pipeline = Awaited<ReturnType<typeof pipeline>>;

/** Atlassian's catalogue lists KEY as MCP from now on. */
function list(p: Pipeline): void {
  (p.r.sim.org.catalog as unknown[]).push({
    id: KEY,
    type: "event-actions",
    attributes: { displayName: "Tool called", groupDisplayName: "Rovo MCP User Actions" },
  });
}

const toolItem = (name: string) => ({ id: name, type: "tool", attributes: { name } });

describe("an action listed as MCP days after its calls were stored", () => {
  it("raises a destructive call's alert once, marked late", async () => {
    const p = await pipeline();
    const call = p.call({ action: KEY, context: [toolItem("deleteConfluencePage")] });
    await p.feed([call]);
    expect(p.event(call.id).is_mcp).toBe(0);
    list(p);
    p.r.clock.advance(2 * DAY);
    await p.feed([]);
    await p.feed([]);
    const seq = p.event(call.id).seq;
    const destructive = p
      .alerts()
      .filter((a) => a.firstEventSeq === seq && a.ruleId === "mcp-destructive");
    expect(destructive.map((a) => [a.late, a.createdAt - a.firstSeen > DAY])).toEqual([
      [true, true],
    ]);
  }, 60_000);

  it("does not say a person's first call twice when their later calls were judged first", async () => {
    const p = await pipeline();
    const first = p.call({ action: KEY, context: [toolItem("getConfluencePage")] });
    await p.feed([first]);
    p.r.clock.advance(2 * DAY);
    await p.feed([p.call({ tool: "getConfluencePage" })]);
    const firsts = () =>
      p.alerts().filter((a) => a.ruleId === "mcp-first-use" && a.userId === "acct-mallory");
    expect(firsts()).toHaveLength(1);
    list(p);
    p.r.clock.advance(DAY + MINUTE);
    await p.feed([]);
    await p.feed([]);
    expect(p.event(first.id).is_mcp).toBe(1);
    expect(firsts()).toHaveLength(1);
  }, 60_000);

  it("tells no late first of a person whose first call was told and marked expected", async () => {
    const p = await pipeline();
    const first = p.call({ action: KEY, context: [toolItem("getConfluencePage")] });
    await p.feed([first]);
    p.r.clock.advance(2 * DAY);
    await p.feed([p.call({ tool: "getConfluencePage" })]);
    const firsts = () =>
      p.alerts().filter((a) => a.ruleId === "mcp-first-use" && a.userId === "acct-mallory");
    expect(firsts().map((a) => a.eventCount)).toEqual([1]);
    p.r.db.prepare("UPDATE alerts SET status = 'expected'").run();
    list(p);
    p.r.clock.advance(DAY + MINUTE);
    await p.feed([]);
    await p.feed([]);
    expect(p.event(first.id).is_mcp).toBe(1);
    // Judged again, not late: the call judged before it counts as before it, whenever made.
    expect(firsts().map((a) => [a.title, a.eventCount])).toEqual([
      ["First MCP call by Mallory", 1],
    ]);
    const joined = p.r.db
      .prepare(
        "SELECT ae.title FROM alert_events ae JOIN events e ON e.seq = ae.event_seq WHERE e.id = ?",
      )
      .all(first.id);
    expect(joined).toEqual([]);
  }, 60_000);

  it("says a person's first call when the call listed late is their only one", async () => {
    const p = await pipeline();
    const only = p.call({ action: KEY, context: [toolItem("getConfluencePage")] });
    await p.feed([only]);
    list(p);
    p.r.clock.advance(DAY);
    await p.feed([]);
    await p.feed([]);
    const seq = p.event(only.id).seq;
    const firsts = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-first-use" && a.userId === "acct-mallory");
    expect(firsts.map((a) => [a.firstEventSeq === seq, a.late])).toEqual([[true, true]]);
  }, 60_000);

  it("says a person's first call once when all their calls were listed late", async () => {
    const p = await pipeline();
    const calls = [0, 1, 2].map(() =>
      p.call({ action: KEY, context: [toolItem("getConfluencePage")] }),
    );
    await p.feed(calls);
    list(p);
    p.r.clock.advance(DAY);
    await p.feed([]);
    await p.feed([]);
    const seq = p.event(calls[0]?.id ?? "").seq;
    const firsts = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-first-use" && a.userId === "acct-mallory");
    expect(firsts.map((a) => [a.firstEventSeq === seq, a.late])).toEqual([[true, true]]);
  }, 60_000);

  it("counts the calls in the person's baselines as if they had been MCP calls from the start", async () => {
    const p = await pipeline();
    const dana = { id: "acct-dana", name: "Dana", email: "dana@acme.test" };
    const now = p.r.clock.now();
    const late = [20 * DAY, 3 * DAY, 3 * DAY - MINUTE].map((ago) =>
      p.call({
        person: dana,
        action: KEY,
        context: [toolItem("getConfluencePage")],
        time: now - ago,
      }),
    );
    await p.feed(late);
    list(p);
    p.r.clock.advance(DAY);
    await p.feed([]);
    await p.feed([]);
    expect(p.event(late[0]?.id ?? "").is_mcp).toBe(1);
    const who =
      "org = (SELECT ref FROM strings WHERE value = 'org-poller') AND user_id = (SELECT ref FROM strings WHERE value = 'acct-dana')";
    const baselines = () => ({
      scopes: p.r.db
        .prepare(
          `SELECT scope, first_seq, first_time, last_time FROM person_scopes WHERE ${who} ORDER BY scope`,
        )
        .all(),
      hours: p.r.db
        .prepare(`SELECT hour, calls FROM person_hours WHERE ${who} ORDER BY hour`)
        .all(),
    });
    const kept = baselines();
    expect(kept.scopes).toContainEqual(
      expect.objectContaining({ scope: "*", first_time: p.event(late[0]?.id ?? "").time }),
    );
    expect((kept.hours as Array<{ calls: number }>).reduce((sum, h) => sum + h.calls, 0)).toBe(2);
    // As `mcp-activity reclassify` records them from every stored event.
    repositories(p.r.db).events.rebuildBaselines(p.r.sim.orgId, p.r.clock.now());
    expect(baselines()).toEqual(kept);
    // Her first call into a project, after three weeks of MCP use: new to her there.
    const issue = { id: "i1", type: "issue", attributes: { issueKey: "OPS-1" } };
    await p.feed([p.call({ person: dana, tool: "getJiraIssue", context: [issue] })]);
    const scopes = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-new-scope" && a.userId === "acct-dana");
    expect(scopes.map((a) => a.title)).toEqual([
      expect.stringContaining("after 21 days of MCP use"),
    ]);
  }, 60_000);

  it("does not say twice a person's first call into a place a call judged before opened", async () => {
    const p = await pipeline();
    const dana = { id: "acct-dana", name: "Dana", email: "dana@acme.test" };
    const now = p.r.clock.now();
    const ops = (key: string) => ({ id: key, type: "issue", attributes: { issueKey: key } });
    const history = p.call({ person: dana, tool: "getConfluencePage", time: now - 20 * DAY });
    const late = p.call({
      person: dana,
      action: KEY,
      context: [toolItem("getJiraIssue"), ops("OPS-1")],
      time: now - 2 * DAY,
    });
    await p.feed([history, late]);
    await p.feed([p.call({ person: dana, tool: "getJiraIssue", context: [ops("OPS-2")] })]);
    const said = () =>
      p.alerts().filter((a) => a.ruleId === "mcp-new-scope" && a.userId === "acct-dana");
    expect(said().map((a) => a.title)).toEqual([expect.stringContaining("project OPS")]);
    list(p);
    p.r.clock.advance(DAY);
    await p.feed([]);
    await p.feed([]);
    expect(p.event(late.id).is_mcp).toBe(1);
    expect(said()).toHaveLength(1);
  }, 60_000);

  it("raises a burst made only of calls listed late once, marked late", async () => {
    const p = await pipeline();
    const erin = { id: "acct-erin", name: "Erin", email: "erin@acme.test" };
    const start = p.r.clock.now() - 2 * DAY;
    const calls = Array.from({ length: 60 }, (_, i) =>
      p.call({
        person: erin,
        action: KEY,
        context: [toolItem("getConfluencePage")],
        time: start + i * 5_000,
      }),
    );
    await p.feed(calls);
    list(p);
    p.r.clock.advance(DAY);
    await p.feed([]);
    await p.feed([]);
    const bursts = p.alerts().filter((a) => a.ruleId === "mcp-burst" && a.userId === "acct-erin");
    // One alert, its findings the ten calls past the threshold, not one alert per call.
    expect(bursts.map((a) => [a.title, a.eventCount, a.late])).toEqual([
      ["60 MCP calls by Erin within 10 minutes", 10, true],
    ]);
  }, 60_000);
});
