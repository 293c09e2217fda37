import { describe, expect, it } from "vitest";
import {
  type AuditEvent,
  DEFAULT_MCP_ACTION_KEY,
  MCP_APP_NAME,
  OAUTH_APP_AUTHORIZED,
  SyntheticOrg,
  TOOL_NAMES,
  type ToolPlacement,
} from "../../src/simulator/index.js";

const START = Date.UTC(2026, 2, 1);

function org(seed: number | string = 3, mcpActionKey?: string): SyntheticOrg {
  return new SyntheticOrg({ seed, orgId: "org-1", start: START, intervalMs: 1000, mcpActionKey });
}

/** Where the tool name is found, judged from the JSON alone. */
function placementsOf(event: AuditEvent, tool: string): ToolPlacement[] {
  const found: ToolPlacement[] = [];
  const items = [...event.attributes.context, ...event.attributes.container];
  if (items.some((i) => /tool/i.test(i.type) && i.attributes.name === tool))
    found.push("context-item");
  const byKey = items.some(
    (i) =>
      !/tool/i.test(i.type) &&
      Object.entries(i.attributes).some(([k, v]) => /tool/i.test(k) && v === tool),
  );
  if (byKey) found.push("attribute");
  if (new RegExp(`\\b${tool}\\b`).test(event.message?.content ?? "")) found.push("message");
  return found;
}

/** The event's JSON with the tool name's one placement removed. */
function withoutPlacement(event: AuditEvent, placement: ToolPlacement): string {
  const copy = structuredClone(event);
  const items = [...copy.attributes.context, ...copy.attributes.container];
  if (placement === "context-item")
    copy.attributes.context = copy.attributes.context.filter((i) => !/tool/i.test(i.type));
  if (placement === "attribute") {
    for (const item of items)
      for (const key of Object.keys(item.attributes))
        if (/tool/i.test(key)) delete item.attributes[key];
  }
  if (placement === "message") delete copy.message;
  return JSON.stringify(copy);
}

describe("SyntheticOrg", () => {
  it("is deterministic by seed and random-access", () => {
    const a = org(3);
    const b = org(3);
    for (const i of [0, 1, 2, 57, 4_321, 199_999, 5_000_000])
      expect(a.eventAt(i)).toEqual(b.eventAt(i));
    expect(JSON.stringify(org(4).eventAt(10))).not.toBe(JSON.stringify(a.eventAt(10)));
    const sequential = [...a.describeRange(0, 50)].map((g) => g.event);
    expect(sequential[42]).toEqual(a.eventAt(42));
  });

  it("processes event i at start + i * interval, with `time` a little or (rarely) hours earlier", () => {
    const o = org();
    let late = 0;
    for (const g of o.describeRange(0, 20_000)) {
      const { time, processedAt } = g.event.attributes;
      expect(Date.parse(processedAt)).toBe(START + g.index * 1000);
      const lag = Date.parse(processedAt) - Date.parse(time);
      expect(lag).toBeGreaterThanOrEqual(0);
      if (g.late) {
        late++;
        expect(lag).toBeGreaterThanOrEqual(3_600_000);
        expect(lag).toBeLessThanOrEqual(48 * 3_600_000);
      } else expect(lag).toBeLessThanOrEqual(120_000);
    }
    expect(late / 20_000).toBeGreaterThan(0.005);
    expect(late / 20_000).toBeLessThan(0.015);
    expect(o.countAtOrBefore(START - 1)).toBe(0);
    expect(o.countAtOrBefore(START)).toBe(1);
    expect(o.countAtOrBefore(START + 1999)).toBe(2);
  });

  it("gives every event a unique UUID-shaped id that maps back to its index", () => {
    const o = org();
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = o.idAt(i);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(o.indexOfId(id)).toBe(i);
      ids.add(id);
    }
    expect(ids.size).toBe(5000);
    expect(o.indexOfId(o.idAt(123_456_789_012))).toBe(123_456_789_012);
    expect(o.indexOfId("not-an-id")).toBeUndefined();
    expect(org(4).indexOfId(o.idAt(5))).toBeUndefined();
  });

  it("has a realistic content mix", () => {
    const o = org();
    const n = 20_000;
    const kinds: Record<string, number> = {};
    const classes: Record<string, number> = {};
    let apiToken = 0;
    let onBehalfOf = 0;
    for (const g of o.describeRange(0, n)) {
      kinds[g.kind] = (kinds[g.kind] ?? 0) + 1;
      if (g.event.attributes.actor.onBehalfOf) onBehalfOf++;
      if (!g.mcp) continue;
      classes[g.mcp.toolClass] = (classes[g.mcp.toolClass] ?? 0) + 1;
      if (g.mcp.authType === "api-token") apiToken++;
    }
    const mcp = kinds["mcp-call"] ?? 0;
    expect(mcp / n).toBeGreaterThan(0.6);
    expect(mcp / n).toBeLessThan(0.7);
    expect((kinds.noise ?? 0) / n).toBeGreaterThan(0.28);
    expect(kinds.settings).toBeGreaterThan(0);
    expect(kinds["mcp-app-authorization"]).toBe(3);
    expect((classes.write ?? 0) / mcp).toBeGreaterThan(0.08);
    expect((classes.write ?? 0) / mcp).toBeLessThan(0.13);
    expect(classes.destructive).toBeGreaterThan(0);
    expect((classes.destructive ?? 0) / mcp).toBeLessThan(0.01);
    expect((classes.read ?? 0) + (classes.search ?? 0)).toBeGreaterThan(0.85 * mcp);
    expect(apiToken / mcp).toBeGreaterThan(0.03);
    expect(apiToken / mcp).toBeLessThan(0.07);
    expect(onBehalfOf).toBeGreaterThan(0);
  });

  it("puts the tool name in exactly one of three places, each of them common", () => {
    const o = org();
    const counts: Record<string, number> = {};
    let calls = 0;
    for (const g of o.describeRange(0, 6000)) {
      if (!g.mcp) continue;
      calls++;
      const { tool, placement } = g.mcp;
      expect(TOOL_NAMES).toContain(tool);
      expect(placementsOf(g.event, tool)).toEqual([placement]);
      expect(withoutPlacement(g.event, placement)).not.toMatch(new RegExp(`\\b${tool}\\b`));
      counts[placement] = (counts[placement] ?? 0) + 1;
    }
    for (const placement of ["context-item", "attribute", "message"]) {
      expect(counts[placement] ?? 0).toBeGreaterThan(calls * 0.25);
    }
  });

  it("shapes MCP calls: OAuth with an app, or an API token run by a service account", () => {
    const o = org();
    const calls = [...o.mcpCalls(0, 5000)];
    expect(calls.length).toBeGreaterThan(3000);
    for (const call of calls) {
      const { actor } = o.eventAt(call.index).attributes;
      expect(o.eventAt(call.index).attributes.action).toBe(DEFAULT_MCP_ACTION_KEY);
      expect(actor.auth?.authType).toBe(call.authType);
      if (call.authType === "api-token") {
        expect(actor.name).toMatch(/^svc-/);
        expect(actor.onBehalfOf).toBeUndefined();
        expect(actor.app).toBeUndefined();
        expect(call.userId).toBeUndefined();
      } else {
        expect(actor.app).toMatchObject({ type: "oauth-app", attributes: { name: call.appName } });
        expect(actor.onBehalfOf?.id ?? actor.id).toBe(call.userId);
      }
    }
    const apps = new Set(calls.map((c) => c.appName));
    expect(apps).toContain("Claude");
    expect(apps).toContain("Cursor");
    const tools = new Set(calls.map((c) => c.tool));
    expect(tools).toContain("getConfluenceContent"); // a v2 name
    expect(tools).toContain("getConfluencePage"); // its v1 name
  });

  it("authorizes the Atlassian MCP app once per site, early, before any call in that site", () => {
    const o = org();
    const auths = o.appAuthorizations();
    expect(auths).toHaveLength(3);
    expect(auths[0]?.index).toBeLessThan(10);
    for (const auth of auths) {
      const event = o.eventAt(auth.index);
      expect(event.attributes.action).toBe(OAUTH_APP_AUTHORIZED);
      expect(event.attributes.context[0]).toMatchObject({
        type: "app",
        attributes: { name: MCP_APP_NAME },
      });
      const firstCall = [...o.mcpCalls(0, 10_000)].find(
        (c) => c.siteHostName === auth.siteHostName,
      );
      expect(firstCall?.index).toBeGreaterThan(auth.index);
    }
  });

  it("uses the configured MCP action key in events and in the catalog", () => {
    const key = `k_${Math.random().toString(36).slice(2, 10)}`;
    const o = org(3, key);
    const call = o.mcpCalls(0, 100).next().value;
    expect(call && o.eventAt(call.index).attributes.action).toBe(key);
    const entry = o.catalog.find((a) => a.id === key);
    expect(entry?.attributes.groupDisplayName).toBe("Rovo MCP User Actions");
    expect(o.catalog.some((a) => a.id === DEFAULT_MCP_ACTION_KEY)).toBe(false);
    const settings = o.catalog.filter((a) => a.id.startsWith("rovo_mcp_"));
    expect(settings.length).toBeGreaterThan(0);
    for (const s of settings) expect(s.attributes.displayName).toMatch(/MCP/);
  });

  it("has people with non-ASCII names, two e-mail domains and two service accounts", () => {
    const { people, serviceAccounts, sites } = org().roster;
    expect(people).toHaveLength(30);
    expect(people.map((p) => p.name)).toContain("Çarol Ñúñez");
    expect(new Set(people.map((p) => p.email.split("@")[1]))).toEqual(
      new Set(["acme.com", "acme-labs.io"]),
    );
    expect(new Set(people.map((p) => p.email)).size).toBe(30);
    expect(serviceAccounts.map((s) => s.name)).toContain("svc-automation");
    expect(sites.map((s) => s.siteHostName)).toContain("https://acme.atlassian.net");
    expect(new SyntheticOrg({ people: 75 }).roster.people.length).toBe(75);
  });

  it("rejects options it cannot honour", () => {
    expect(() => new SyntheticOrg({ intervalMs: 0.5 })).toThrow(RangeError);
    expect(() => new SyntheticOrg({ people: 0 })).toThrow(RangeError);
  });

  it("lists the valid events visible at a time", () => {
    const o = org();
    const events = [...o.validEventsUpTo(START + 99_999)];
    expect(events).toHaveLength(100);
    expect(events[99]?.id).toBe(o.idAt(99));
  });
});
