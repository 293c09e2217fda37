import { describe, expect, it } from "vitest";
import { mcpCanary } from "../../../src/detect/rules/mcp-canary.js";
import { mcpWatchedPlace } from "../../../src/detect/rules/mcp-watched-place.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { RuleContext } from "../../../src/detect/types.js";
import { NO_PLACE } from "../../../src/domain/event.js";
import { context, mcpEvent } from "../fixtures.js";

function watching(yaml: string): RuleContext {
  return { ...context, watch: parseRulesText(yaml, "rules.yml").watch };
}

const WATCH = watching(`
watch:
  - { space: HR, severity: high }
  - { project: SEC, severity: medium }
  - { issue: SEC-1, canary: true }
  - { page: "123456", canary: true }
  - { site: legal.atlassian.net, severity: high }
  - { space: ENG, site: acme-eng.atlassian.net }
`);

const page = (space: string, id: string, site = "acme.atlassian.net") =>
  mcpEvent({
    tool: "getConfluencePage",
    product: "confluence",
    siteHost: site,
    resource: `Salaries (${id})`,
    place: { ...NO_PLACE, spaces: [space], pages: [id] },
  });

describe("mcp-watched-place", () => {
  it("raises on a call into a watched space, project or site, at the entry's severity", () => {
    const hr = mcpWatchedPlace.evaluate(page("HR", "777"), {}, {}, WATCH);
    expect(hr).toMatchObject({
      title: "Alice Example's AI tool touched watched space HR",
      severity: "high",
      detail: { watched: "space HR", placeKind: "space", placeKey: "HR" },
    });
    const sec = mcpWatchedPlace.evaluate(mcpEvent({ resource: "SEC-42" }), {}, {}, WATCH);
    expect(sec).toMatchObject({ severity: "medium", detail: { watched: "project SEC" } });
    const legal = mcpWatchedPlace.evaluate(
      mcpEvent({ siteHost: "legal.atlassian.net" }),
      {},
      {},
      WATCH,
    );
    expect(legal).toMatchObject({
      severity: "high",
      detail: { watched: "site legal.atlassian.net" },
    });
  });

  it("matches keys whatever their case, and a site narrowed entry only on its site", () => {
    expect(mcpWatchedPlace.evaluate(page("hr", "1"), {}, {}, WATCH)).not.toBeNull();
    expect(mcpWatchedPlace.evaluate(page("ENG", "1"), {}, {}, WATCH)).toBeNull();
    const eng = mcpWatchedPlace.evaluate(page("ENG", "1", "acme-eng.atlassian.net"), {}, {}, WATCH);
    expect(eng?.detail.watched).toBe("space ENG on acme-eng.atlassian.net");
    expect(eng?.severity).toBeUndefined(); // the rule's own severity
  });

  it("is silent for unwatched places, calls that are not MCP, and without a watch list", () => {
    expect(mcpWatchedPlace.evaluate(page("OPS", "5"), {}, {}, WATCH)).toBeNull();
    expect(
      mcpWatchedPlace.evaluate(mcpEvent({ resource: "SECURITY-1" }), {}, {}, WATCH),
    ).toBeNull();
    expect(
      mcpWatchedPlace.evaluate({ ...page("HR", "1"), isMcp: false }, {}, {}, WATCH),
    ).toBeNull();
    expect(mcpWatchedPlace.evaluate(page("HR", "1"), {}, {}, context)).toBeNull();
  });

  it("leaves a canary to mcp-canary, and still reports the watched place around it", () => {
    // SEC-1 is a canary inside the watched project SEC: both rules speak.
    const event = mcpEvent({ resource: "SEC-1" });
    expect(mcpCanary.evaluate(event, {}, {}, WATCH)?.detail.watched).toBe("issue SEC-1");
    expect(mcpWatchedPlace.evaluate(event, {}, {}, WATCH)?.detail.watched).toBe("project SEC");
  });
});

describe("mcp-canary", () => {
  it("raises on any MCP read of a canary page or issue", () => {
    const hit = mcpCanary.evaluate(page("KB", "123456"), {}, {}, WATCH);
    expect(hit?.title).toBe("An AI tool read canary page 123456 as Alice Example");
    expect(hit?.severity).toBe("high"); // whatever the rule is configured with
    expect(mcpCanary.defaultSeverity).toBe("high");
  });

  it("is silent next to the canary: another issue of its project, another page", () => {
    expect(mcpCanary.evaluate(mcpEvent({ resource: "SEC-10" }), {}, {}, WATCH)).toBeNull();
    expect(mcpCanary.evaluate(page("KB", "1234567"), {}, {}, WATCH)).toBeNull();
    expect(mcpCanary.evaluate(page("HR", "9"), {}, {}, WATCH)).toBeNull();
  });
});

describe("watch: in the rules file", () => {
  const problems = (yaml: string) => {
    try {
      parseRulesText(yaml, "rules.yml");
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it("names the entry and the field of each mistake", () => {
    expect(problems("watch:\n  - { space: HR, project: SEC }")).toEqual([
      "RULES_FILE rules.yml: watch.0: name one place, not space and project (add site: to narrow it to a site)",
    ]);
    expect(problems("watch:\n  - { severity: high }")).toEqual([
      "RULES_FILE rules.yml: watch.0: name a place: space, page, project, issue or site",
    ]);
    expect(problems("watch:\n  - { issue: SEC-1, canary: true, severity: low }")).toEqual([
      "RULES_FILE rules.yml: watch.0.severity: a canary is always high: drop severity",
    ]);
    expect(problems("watch:\n  - { space: HR, severity: urgent }")[0]).toMatch(
      /^RULES_FILE rules.yml: watch.0.severity: expected one of info, low, medium, high$/,
    );
    expect(problems("watch:\n  - { spaces: HR }")[0]).toMatch(/^RULES_FILE rules.yml: watch.0: /);
    expect(problems("watch: HR")[0]).toMatch(/^RULES_FILE rules.yml: watch: expected a list/);
  });

  it("takes page ids written as numbers, and site host names written as URLs", () => {
    const { watch } = parseRulesText(
      "watch:\n  - { page: 123456, canary: true }\n  - { site: 'https://Legal.atlassian.net/' }",
      "rules.yml",
    );
    expect(watch).toEqual([
      { kind: "page", key: "123456", site: null, canary: true, severity: "high" },
      { kind: "site", key: "legal.atlassian.net", site: null, canary: false, severity: null },
    ]);
  });
});
