import { describe, expect, it } from "vitest";
import { mcpFirstUse } from "../../../src/detect/rules/mcp-first-use.js";
import { context, mcpEvent } from "../fixtures.js";

const seen = (user: boolean, site = true, product = true, app = true) => ({
  seenBefore: { user, site, product, app },
});

describe("mcp-first-use", () => {
  it("raises on a person's first MCP call", () => {
    const hit = mcpFirstUse.evaluate(mcpEvent(), seen(false, false, false), {}, context);
    expect(hit?.title).toBe("First MCP call by Alice Example");
    expect(hit?.detail).toMatchObject({
      scope: "person",
      app: "Claude",
      site: "acme.atlassian.net",
    });
  });

  it("raises on a first call on a new site, then on a new product", () => {
    expect(mcpFirstUse.evaluate(mcpEvent(), seen(true, false, false), {}, context)?.title).toBe(
      "Alice Example's first MCP call on acme.atlassian.net",
    );
    expect(mcpFirstUse.evaluate(mcpEvent(), seen(true, true, false), {}, context)?.title).toBe(
      "Alice Example's first MCP call in jira",
    );
  });

  it("raises once an AI tool new to the organization is used by someone who used MCP before", () => {
    const hit = mcpFirstUse.evaluate(mcpEvent(), seen(true, false, false, false), {}, context);
    expect(hit?.title).toBe(
      "Alice Example's first MCP call with Claude, an AI tool new to the organization",
    );
    // Its own alert, not a reply in the thread of the person's first sites and products.
    expect(hit?.subject).toBe("app:Claude");
    expect(hit?.detail).toMatchObject({ scope: "app", site: "acme.atlassian.net" });
    // A newcomer's first call is the person's first use, whatever their app.
    expect(
      mcpFirstUse.evaluate(mcpEvent(), seen(false, true, true, false), {}, context)?.title,
    ).toBe("First MCP call by Alice Example");
  });

  it("corrects an AI tool's first user before the person's first when a late call is both", () => {
    const late = (overtakes: { user?: number; app?: number }) => ({
      seenBefore: { user: false, site: false, product: false, app: false, overtakes },
    });
    const both = mcpFirstUse.evaluate(mcpEvent(), late({ user: 4, app: 7 }), {}, context);
    expect([both?.subject, both?.overtakes]).toEqual(["app:Claude", 7]);
    expect(both?.title).toBe(
      "Alice Example's first MCP call with Claude, an AI tool new to the organization, made before the calls seen first (it reached the audit log late)",
    );
    // A newcomer is told as one, whatever AI tool's first they overtake.
    const newcomer = mcpFirstUse.evaluate(mcpEvent(), late({ app: 7 }), {}, context);
    expect([newcomer?.title, newcomer?.overtakes]).toEqual([
      "First MCP call by Alice Example",
      undefined,
    ]);
  });

  it("is silent once the person, site and product were all seen", () => {
    expect(mcpFirstUse.evaluate(mcpEvent(), seen(true), {}, context)).toBeNull();
  });

  it("leaves an API token's first calls to mcp-api-token", () => {
    const token = mcpEvent({ authKind: "api-token" });
    expect(mcpFirstUse.evaluate(token, seen(false, false, false), {}, context)).toBeNull();
    expect(mcpFirstUse.evaluate(token, seen(true, false, false), {}, context)).toBeNull();
  });

  it("raises on a first call whose tool could not be read", () => {
    const hit = mcpFirstUse.evaluate(mcpEvent({ tool: null }), seen(false), {}, context);
    expect([hit?.title, hit?.detail.tool]).toEqual(["First MCP call by Alice Example", null]);
  });

  it("is silent without the facts or a person", () => {
    expect(mcpFirstUse.evaluate(mcpEvent(), {}, {}, context)).toBeNull();
    expect(mcpFirstUse.evaluate(mcpEvent({ userId: null }), seen(false), {}, context)).toBeNull();
  });

  it("tells only an AI tool new to the organization by an event that names no account", () => {
    const noAccount = mcpEvent({ userId: null, actorId: null });
    const hit = mcpFirstUse.evaluate(noAccount, seen(false, false, false, false), {}, context);
    expect([hit?.title, hit?.subject]).toEqual([
      "Alice Example's first MCP call with Claude, an AI tool new to the organization",
      "app:Claude",
    ]);
  });

  it("takes a call whose key names a tool with an app-access word for a call (removeJiraIssueLink)", () => {
    for (const action of ["rovo_mcp_issue_link_removed", "rovo_mcp_tool_call_removeJiraIssueLink"])
      expect(
        mcpFirstUse.evaluate(mcpEvent({ action }), seen(false, false, false), {}, context)?.title,
      ).toBe("First MCP call by Alice Example");
    // The MCP app itself removed, listed as MCP by the catalogue: no call.
    const removal = mcpEvent({ action: "oauth_app_uninstalled", tool: null });
    expect(mcpFirstUse.evaluate(removal, seen(false, false, false), {}, context)).toBeNull();
  });
});
