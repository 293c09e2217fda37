import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventSchema } from "../../src/atlassian/schemas.js";
import { buildCatalog, mcpActionKeys } from "../../src/ingest/classify.js";
import { normalize, reclassify } from "../../src/ingest/normalize.js";
import { classifyTool, toolCatalogue } from "../../src/ingest/tools.js";

const catalog = buildCatalog([
  { action: "xq_17", displayName: "Tool invoked", groupName: "Rovo MCP User Actions" },
  { action: "user_login", displayName: "User logged in", groupName: "Security" },
  {
    action: "mcp_auth_changed",
    displayName: "Rovo MCP server authentication updated",
    groupName: "Settings",
  },
  { action: "zz_9", displayName: "Rovo MCP tool used", groupName: "Rovo" },
]);
const context = { orgId: "org-1", catalog, backfillUntil: null };

function event(attributes: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return {
    id: "ev-1",
    type: "events",
    attributes: { time: "2026-11-02T10:11:12.345Z", action: "xq_17", ...attributes },
    ...extra,
  };
}

function ok(raw: unknown) {
  const result = normalize(raw, context);
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

describe("normalize", () => {
  it("parses both timestamp forms and keeps the raw JSON", () => {
    expect(ok(event({ time: "2026-11-02T10:11:12.345Z" })).time).toBe(
      Date.UTC(2026, 10, 2, 10, 11, 12, 345),
    );
    expect(ok(event({ time: "2026-11-02T10:11:12Z" })).time).toBe(
      Date.UTC(2026, 10, 2, 10, 11, 12),
    );
    const e = ok(event({ processedAt: "2026-11-02T12:00:00+01:00", surprise: { nested: true } }));
    expect(e.processedAt).toBe(Date.UTC(2026, 10, 2, 11));
    expect(JSON.parse(e.raw).attributes.surprise).toEqual({ nested: true });
  });

  it.each([
    ["not an object", "just a string", /event/],
    ["no id", { attributes: { time: "2026-11-02T10:11:12Z", action: "a" } }, /id/],
    ["no time", { id: "x", attributes: { action: "a" } }, /attributes\.time/],
    ["a bad time", { id: "x", attributes: { time: "yesterday", action: "a" } }, /attributes\.time/],
    ["no action", { id: "x", attributes: { time: "2026-11-02T10:11:12Z" } }, /attributes\.action/],
    ["no attributes", { id: "x" }, /attributes/],
  ])("refuses an item with %s, saying why", (_label, raw, reason) => {
    const result = normalize(raw, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(reason);
  });

  it("keeps the id of a refused item when it has one", () => {
    const result = normalize({ id: "broken-1", attributes: {} }, context);
    expect(result).toMatchObject({ ok: false, id: "broken-1" });
  });

  it("drops optional parts of the wrong shape instead of refusing the event", () => {
    const e = ok(event({ actor: "nobody", location: 42, container: [{ type: "sites" }] }));
    expect(e.actorId).toBeNull();
    expect(e.ip).toBeNull();
    expect(e.siteHost).toBeNull();
  });

  it("extracts actor, auth kind, on-behalf-of, location, site and app", () => {
    const e = ok(
      event({
        actor: {
          id: "acc-1",
          name: "Çarol Ñúñez",
          email: "Carol@Example.com",
          auth: { authType: "auth-token-for-3LO", tokenId: "t1" },
          onBehalfOf: { id: "acc-2", name: "Bob", email: "bob@example.com" },
          app: { id: "app-1", type: "oauth-app", attributes: { name: "Claude" } },
        },
        location: { ip: "203.0.113.9", countryName: "Germany", city: "Berlin" },
        container: [
          {
            id: "s1",
            type: "sites",
            attributes: { siteHostName: "https://acme.atlassian.net", siteName: "acme" },
          },
        ],
        context: [{ id: "t", type: "mcp-tool", attributes: { name: "getJiraIssue" } }],
      }),
    );
    expect(e).toMatchObject({
      actorId: "acc-1",
      actorName: "Çarol Ñúñez",
      actorEmail: "carol@example.com",
      authKind: "oauth",
      authType: "auth-token-for-3LO",
      onBehalfOfId: "acc-2",
      userId: "acc-2",
      userName: "Bob",
      userEmail: "bob@example.com",
      onBehalfOfEmail: "bob@example.com",
      ip: "203.0.113.9",
      country: "Germany",
      city: "Berlin",
      siteHost: "acme.atlassian.net",
      clientApp: "Claude",
      isMcp: true,
      mcpBasis: "catalog",
      tool: "getJiraIssue",
      toolClass: "read",
      product: "jira",
    });
  });

  it.each([
    ["api-token", "api-token"],
    ["auth-token-for-3LO", "oauth"],
    ["container-token", "unknown"],
    [undefined, "unknown"],
  ])("maps authType %s to %s", (authType, kind) => {
    expect(
      ok(event({ actor: { id: "a", auth: authType ? { authType } : undefined } })).authKind,
    ).toBe(kind);
  });

  describe("finds the tool", () => {
    it("in an item whose type mentions a tool", () => {
      const e = ok(event({ context: [{ id: "createJiraIssue", type: "mcp-tool" }] }));
      expect([e.tool, e.toolClass]).toEqual(["createJiraIssue", "write"]);
    });

    it("in an attribute whose key mentions a tool, with the resource beside it", () => {
      const e = ok(
        event({
          context: [
            {
              id: "10001",
              type: "jira-issue",
              attributes: { issueKey: "OPS-12", toolName: "editJiraIssue" },
            },
          ],
        }),
      );
      expect([e.tool, e.toolClass, e.resource, e.product]).toEqual([
        "editJiraIssue",
        "write",
        "OPS-12",
        "jira",
      ]);
    });

    it("in the message, by a known name", () => {
      const e = ok(
        event(
          {},
          {
            message: {
              content: "Rovo MCP server: Cursor called updateConfluencePage on 'Runbook'",
              format: "simple",
            },
          },
        ),
      );
      expect([e.tool, e.toolClass, e.product]).toEqual([
        "updateConfluencePage",
        "write",
        "confluence",
      ]);
    });

    it("in the message, by a tool-shaped name it has never seen, classified by its verb", () => {
      const e = ok(
        event({}, { message: { content: "Called deleteCompassScorecard through MCP" } }),
      );
      expect([e.tool, e.toolClass, e.product]).toEqual([
        "deleteCompassScorecard",
        "destructive",
        "compass",
      ]);
    });

    it("in the message, the most dangerous of several names, marked a guess", () => {
      const e = ok(
        event(
          {},
          {
            message: {
              content: "Rovo MCP server: API token getConfluencePage called deleteConfluencePage",
            },
          },
        ),
      );
      expect([e.tool, e.toolClass, e.toolGuessed]).toEqual([
        "deleteConfluencePage",
        "destructive",
        true,
      ]);
    });

    it("a wrapper by its own class, with the operation it ran", () => {
      const e = ok(
        event({
          context: [
            {
              id: "executeWrite",
              type: "mcp-tool",
              attributes: { name: "executeWrite", operation: "createJiraIssueLink" },
            },
          ],
        }),
      );
      expect([e.tool, e.toolClass, e.innerTool, e.product, e.toolGuessed]).toEqual([
        "executeWrite",
        "write",
        "createJiraIssueLink",
        "jira",
        false,
      ]);
      const inText = ok(
        event(
          { context: [{ id: "executeDestructive", type: "mcp-tool" }] },
          { message: { content: "Claude called executeDestructive: deleteJiraIssue OPS-3" } },
        ),
      );
      expect([inText.tool, inText.toolClass, inText.innerTool]).toEqual([
        "executeDestructive",
        "destructive",
        "deleteJiraIssue",
      ]);
    });

    it("a wrapper as the more dangerous of its own class and the operation it names, wherever it names it", () => {
      const wrapper = (name: string, operation: string) => ({
        id: name,
        type: "mcp-tool",
        attributes: { name, operation },
      });
      const inAttribute = ok(event({ context: [wrapper("executeWrite", "deleteJiraIssue")] }));
      expect([inAttribute.tool, inAttribute.innerTool, inAttribute.toolClass]).toEqual([
        "executeWrite",
        "deleteJiraIssue",
        "destructive",
      ]);
      const inMessage = ok(
        event(
          {},
          { message: { content: "Mallory called executeWrite: deleteJiraIssue on OPS-7" } },
        ),
      );
      expect([inMessage.tool, inMessage.toolClass]).toEqual(["deleteJiraIssue", "destructive"]);
      // Recomputed from the raw JSON, the same class.
      const stored = { ...inAttribute, toolClass: "write" as const };
      expect(reclassify(stored, catalog).toolClass).toBe("destructive");
      // An operation less dangerous than the wrapper leaves it its own class.
      const read = ok(event({ context: [wrapper("executeDestructive", "getJiraIssue")] }));
      expect([read.tool, read.innerTool, read.toolClass]).toEqual([
        "executeDestructive",
        "getJiraIssue",
        "destructive",
      ]);
    });

    it("with the rules file's tools, which the catalogue shipped does not know", () => {
      const tools = toolCatalogue({ frobnicateBoard: { class: "admin", product: "jira" } });
      const raw = event({ context: [{ id: "frobnicateBoard", type: "mcp-tool" }] });
      const result = normalize(raw, { ...context, catalog: { ...catalog, tools } });
      expect(result.ok && [result.event.toolClass, result.event.product]).toEqual([
        "admin",
        "jira",
      ]);
      expect(ok(raw).toolClass).toBeNull();
    });

    it("whatever the authentication type, one never seen included", () => {
      const e = ok(
        event({
          actor: { id: "acc-1", auth: { authType: "enterprise-managed-authorization" } },
          context: [{ id: "getJiraIssue", type: "mcp-tool" }],
        }),
      );
      expect([e.isMcp, e.authKind, e.authType, e.tool, e.toolClass]).toEqual([
        true,
        "unknown",
        "enterprise-managed-authorization",
        "getJiraIssue",
        "read",
      ]);
    });

    it("not at all for events that are not MCP", () => {
      const e = ok(event({ action: "user_login", context: [{ id: "x", type: "mcp-tool" }] }));
      expect([e.isMcp, e.tool]).toEqual([false, null]);
    });
  });

  it("takes a page's title and id as the resource", () => {
    const e = ok(
      event({
        context: [
          { id: "55", type: "confluence-page", attributes: { pageId: "55", title: "Runbook" } },
        ],
      }),
    );
    expect(e.resource).toBe("Runbook (55)");
  });

  it("marks events processed before the backfill boundary as history", () => {
    const raw = event({ processedAt: "2026-11-02T10:00:00Z" });
    const before = normalize(raw, { ...context, backfillUntil: Date.UTC(2026, 10, 2, 11) });
    const after = normalize(raw, { ...context, backfillUntil: Date.UTC(2026, 10, 2, 9) });
    expect(before.ok && before.event.backfilled).toBe(true);
    expect(after.ok && after.event.backfilled).toBe(false);
  });

  it("marks an event with no processing time as history only when the backfill reads it", () => {
    const raw = event({ time: "2026-11-02T10:00:00Z" });
    const backfillUntil = Date.UTC(2026, 10, 2, 11);
    const read = (backfilling: boolean) =>
      normalize(raw, { ...context, backfillUntil, backfilling });
    expect(read(true)).toMatchObject({ ok: true, event: { processedAt: null, backfilled: true } });
    // Read live, after the first start: it arrived late, and is judged.
    expect(read(false)).toMatchObject({
      ok: true,
      event: { processedAt: null, backfilled: false },
    });
  });

  it("recomputes columns from the raw JSON with a newer catalogue", () => {
    const stored = ok(
      event({ action: "brand_new_key", context: [{ id: "search", type: "tool" }] }),
    );
    // Unlisted, with an item naming a tool the catalogue knows but not saying MCP: no call.
    expect([stored.isMcp, stored.mcpBasis]).toEqual([false, null]);
    const updated = reclassify(stored, buildCatalog([], ["brand_new_key"]));
    expect([updated.isMcp, updated.mcpBasis, updated.tool, updated.toolClass]).toEqual([
      true,
      "config",
      "search",
      "search",
    ]);
  });

  it("recomputes a stored event that today's edge would refuse, keeping its stored times", () => {
    // Stored by an earlier release: a time in seconds (read as 1970), a context it could not read.
    const stored = {
      ...ok(event({ action: "brand_new_key" })),
      time: 1_793_620_860,
      raw: JSON.stringify(event({ time: 1_793_620_860, action: "brand_new_key", context: "x" })),
    };
    const updated = reclassify(stored, buildCatalog([], ["brand_new_key"]));
    expect([updated.time, updated.isMcp, updated.tool]).toEqual([1_793_620_860, true, null]);
  });
});

describe("MCP classification", () => {
  it("discovers MCP actions from display or group names, whatever their keys, but no settings change", () => {
    expect(mcpActionKeys(catalog)).toEqual(["xq_17", "zz_9"]);
  });

  it("never guesses an identity precursor's action to be an MCP call, whatever its message", () => {
    for (const [action, content] of [
      ["api_token_generated", "Mallory created API token “jira-mcp”"],
      ["user_2sv_disabled", "Two-step verification disabled for the rovo_mcp service account"],
      ["org_admin_granted", "Mallory made mcp-bot an organization admin"],
      ["user_granted_role", "Mallory granted role rovo-mcp-admin to Eve"],
      ["user_impersonated", "Support logged in as the MCP service account"],
    ]) {
      expect(ok(event({ action }, { message: { content } })), action).toMatchObject({
        isMcp: false,
        mcpBasis: null,
      });
    }
    // Any other unlisted action whose message mentions MCP is still a guessed call.
    const guessed = ok(
      event({ action: "brand_new_key" }, { message: { content: "Mallory called jira-mcp" } }),
    );
    expect(guessed.mcpBasis).toBe("guessed");
  });

  it("adds configured keys and says which basis applies", () => {
    const withExtra = buildCatalog(
      [{ action: "user_login", displayName: "User logged in", groupName: null }],
      ["custom_key"],
    );
    expect(ok(event({ action: "custom_key" }))).toMatchObject({ isMcp: false });
    const r = normalize(event({ action: "custom_key" }), { ...context, catalog: withExtra });
    expect(r.ok && r.event.mcpBasis).toBe("config");
  });

  it("guesses MCP for an unknown action whose key or message mentions MCP, and says so", () => {
    expect(ok(event({ action: "rovo_mcp_new_thing" })).mcpBasis).toBe("guessed");
    expect(
      ok(event({ action: "something_new" }, { message: { content: "via the Rovo MCP server" } }))
        .mcpBasis,
    ).toBe("guessed");
    expect(ok(event({ action: "something_new" })).isMcp).toBe(false);
  });

  it("drops a guess only for a message naming a control it changed, under a key that says no call", () => {
    const guess = (action: string, content: string) =>
      ok(event({ action }, { message: { content } })).mcpBasis;
    expect(guess("rovo_mcp_jira_edit", "Mallory updated OPS-1 through the Rovo MCP server")).toBe(
      "guessed",
    );
    expect(guess("rovo_mcp_token_auth", "Rovo MCP server authentication enabled by Mallory")).toBe(
      null,
    );
    expect(guess("rovo_mcp_server_state", "Rovo MCP server turned off by Mallory")).toBe(null);
    expect(guess("rovo_mcp_tool_invoked", "Rovo MCP server permissions updated by Mallory")).toBe(
      "guessed",
    );
  });

  it("does not guess for a known non-MCP action", () => {
    expect(
      ok(event({ action: "user_login" }, { message: { content: "logged in, MCP client" } })).isMcp,
    ).toBe(false);
  });
});

describe("classifyTool", () => {
  it.each([
    ["getJiraIssue", "read"],
    ["searchJiraIssuesUsingJql", "search"],
    ["fetch", "search"],
    ["createConfluencePage", "write"],
    ["addOrEditJiraIssueComment", "write"],
    ["listCompassComponents", "read"],
    ["lookupSomethingNew", "read"],
    ["transitionSomething", "write"],
    ["deleteJiraIssue", "destructive"],
    ["removeUserFromGroup", "destructive"],
    ["manageJiraProject", "admin"],
    ["createJiraProject", "admin"],
    ["executeWrite", "write"],
    ["getBitbucketPullRequest", "read"],
    ["mergePullRequest", "write"],
    ["approvePullRequest", "write"],
    ["unapprovePullRequest", "write"],
    ["declinePullRequest", "write"],
    ["executeDestructiveOperation", "destructive"],
    ["frobnicate", null],
    // No leading verb: the most dangerous word of the name that is one.
    ["bulkDeleteJiraIssues", "destructive"],
    ["jira_delete_issue", "destructive"],
    ["jiraIssueLinkDelete", "destructive"],
    ["confluencePageViewRemove", "destructive"],
    ["jiraSavedQueryDelete", "destructive"],
    ["confluence-get-page", "read"],
    ["jiraSettingsView", "read"],
    ["bulkFrobnicate", null],
  ])("%s is %s", (tool, toolClass) => {
    expect(classifyTool(tool)).toBe(toolClass);
  });
});

describe("normalize without zod on the common path", () => {
  const time = fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom(
      "2026-11-02T10:11:12Z",
      "2026-11-02T10:11:12+0100",
      "2026-11-02T10:11Z",
      "2026-02-31T10:11:12Z",
      "2026-11-02 10:11:12Z",
      "",
      null,
      -1,
      1.5,
      1_800_000_000_000,
    ),
    fc.anything(),
  );
  const item = fc.record(
    {
      id: fc.oneof(fc.constantFrom("ev-1", ""), fc.anything()),
      attributes: fc.oneof(
        fc.record(
          {
            time,
            processedAt: time,
            action: fc.oneof(fc.constantFrom("xq_17", ""), fc.anything()),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      ),
    },
    { requiredKeys: [] },
  );

  it("accepts exactly what the schema accepts, with the same times", () => {
    fc.assert(
      fc.property(item, (raw) => {
        const parsed = eventSchema.safeParse(raw);
        const result = normalize(raw, context, "{}");
        expect(result.ok).toBe(parsed.success);
        if (result.ok && parsed.success) {
          expect(result.event.id).toBe(parsed.data.id);
          expect(result.event.action).toBe(parsed.data.attributes.action);
          expect(result.event.time).toBe(parsed.data.attributes.time);
          expect(result.event.processedAt).toBe(parsed.data.attributes.processedAt ?? null);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("keeps the item's text as received when given", () => {
    const text = '{ "id": "ev-1", "attributes": {"time": "2026-11-02T10:11:12Z", "action": "a"} }';
    const result = normalize(JSON.parse(text), context, text);
    expect(result.ok && result.event.raw).toBe(text);
  });
});
