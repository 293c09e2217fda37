import { describe, expect, it } from "vitest";
import { mcpPostureDrift } from "../../../src/detect/rules/mcp-posture-drift.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { RuleContext } from "../../../src/detect/types.js";
import { context, mcpEvent } from "../fixtures.js";

function declaring(yaml: string): RuleContext {
  return { ...context, posture: parseRulesText(yaml, "rules.yml").posture };
}

const POSTURE = declaring(`
posture:
  apiTokenAuth: off
  destructiveTools: off
  products: { jira: [read, search], Confluence: [read, search, write] }
  sites: [https://acme.atlassian.net/]
`);

const drift = (overrides: Parameters<typeof mcpEvent>[0], ctx = POSTURE) =>
  mcpPostureDrift.evaluate(mcpEvent(overrides), {}, {}, ctx);

describe("mcp-posture-drift", () => {
  it("says what was observed, what the posture says, and which setting to check where", () => {
    const hit = drift({ authKind: "api-token", authType: "api-token" });
    expect(hit?.title).toBe(
      "observed an MCP call authenticated with an API token although your posture says API-token authentication is off: check “Rovo MCP server: API-token authentication” at Rovo → Rovo MCP server → Authentication (Alice Example)",
    );
    expect(hit?.subject).toBe("apiTokenAuth");
    expect(hit?.detail).toMatchObject({
      contradiction: "apiTokenAuth",
      path: "Rovo → Rovo MCP server → Authentication",
    });
  });

  it("catches each declared control: destructive tools, a product's permissions, the sites", () => {
    expect(drift({ tool: "deleteJiraIssue", toolClass: "destructive" })?.subject).toBe(
      "destructiveTools+products.jira.destructive",
    );
    const write = drift({ tool: "createJiraIssue", toolClass: "write" });
    expect(write?.subject).toBe("products.jira.write");
    expect(write?.title).toContain(
      "observed a write tool in jira (createJiraIssue) although your posture says jira allows read, search",
    );
    expect(drift({ product: "compass", tool: "getCompassComponent" })?.subject).toBe(
      "products.compass",
    );
    const site = drift({ siteHost: "legal.atlassian.net" });
    expect(site?.subject).toBe("sites.legal.atlassian.net");
    expect(site?.detail.path).toBe(
      "Apps → Sites → (site) → Site settings → Connected apps → Settings tab",
    );
  });

  it("is silent for what the posture allows, without a posture, and for events that are not MCP", () => {
    expect(drift({})).toBeNull();
    expect(
      drift({ product: "confluence", tool: "createConfluencePage", toolClass: "write" }),
    ).toBeNull();
    expect(drift({ siteHost: "ACME.atlassian.net" })).toBeNull();
    // A site given as an address copied from the browser is its host name.
    const copied = declaring("posture:\n  sites: [https://Acme.atlassian.net/wiki/spaces/HR]");
    expect(copied.posture.sites).toEqual(["acme.atlassian.net"]);
    expect(drift({ siteHost: "acme.atlassian.net" }, copied)).toBeNull();
    expect(drift({ authKind: "api-token" }, context)).toBeNull();
    expect(drift({ authKind: "api-token", isMcp: false })).toBeNull();
  });

  it("at the edge: a product allowed nothing, an event naming no product or site, tokens on", () => {
    const nothing = declaring("posture:\n  products: { jira: [] }\n  apiTokenAuth: on");
    expect(drift({}, nothing)?.title).toContain("jira allows nothing");
    expect(drift({ product: null, siteHost: null })).toBeNull();
    // A product unknown: a class no declared product allows.
    const unknown = drift({ product: null, tool: "deleteSomething", toolClass: "destructive" });
    expect(unknown?.subject).toBe("destructiveTools+products.unknown.destructive");
    expect(drift({ product: null, tool: "executeWrite", toolClass: "write" })).toBeNull();
    expect(
      drift({ product: null, tool: "executeWrite", toolClass: "write" }, nothing)?.subject,
    ).toBe("products.unknown.write");
    expect(drift({ authKind: "api-token" }, nothing)?.subject).toBe("products.jira.read");
  });

  it("refuses a posture it cannot read, naming the field", () => {
    const problem = (yaml: string) => {
      try {
        parseRulesText(yaml, "rules.yml");
        return "";
      } catch (error) {
        return (error as { problems: string[] }).problems.join("\n");
      }
    };
    expect(problem("posture:\n  apiTokenAuth: no")).toBe(
      "RULES_FILE rules.yml: posture.apiTokenAuth: expected on or off",
    );
    expect(problem("posture:\n  products: { jira: [read, delete] }")).toBe(
      "RULES_FILE rules.yml: posture.products.jira.1: expected read, search, write, destructive, admin",
    );
    expect(problem('posture:\n  sites: ["https://", "/wiki", "acme atlassian"]')).toBe(
      [0, 1, 2]
        .map(
          (i) =>
            `RULES_FILE rules.yml: posture.sites.${i}: expected a site host name such as acme.atlassian.net, or its address`,
        )
        .join("\n"),
    );
    expect(problem("watch:\n  - { space: HR, site: https:// }")).toBe(
      "RULES_FILE rules.yml: watch.0.site: expected a site host name such as acme.atlassian.net, or its address",
    );
    expect(problem('posture:\n  sites: ["*.atlassian.net"]')).toBe(
      "RULES_FILE rules.yml: posture.sites.0: expected a site host name such as acme.atlassian.net, or its address: a wildcard matches no site, name each",
    );
    expect(problem("posture:\n  site: [a.atlassian.net]")).toMatch(
      /^RULES_FILE rules.yml: posture: /,
    );
  });
});
