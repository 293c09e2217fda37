import { describe, expect, it } from "vitest";
import { apiTokenCreated } from "../../../src/detect/rules/api-token-created.js";
import { authPolicyChanged } from "../../../src/detect/rules/auth-policy-changed.js";
import { orgAdminGranted } from "../../../src/detect/rules/org-admin-granted.js";
import { twoStepDisabled } from "../../../src/detect/rules/two-step-disabled.js";
import { userImpersonated } from "../../../src/detect/rules/user-impersonated.js";
import type { Facts } from "../../../src/detect/types.js";
import type { StoredEvent } from "../../../src/domain/event.js";
import { context, mcpEvent } from "../fixtures.js";

/** A non-MCP event by Alice with these items, and the catalogue's name for its action. */
function admin(action: string, items: unknown[] = [], message: string | null = null): StoredEvent {
  const raw = JSON.stringify({
    id: "ev-1",
    attributes: {
      time: "2026-11-02T10:00:00Z",
      action,
      actor: { id: "acc-alice" },
      context: items,
    },
    ...(message ? { message: { content: message } } : {}),
  });
  return mcpEvent({
    action,
    isMcp: false,
    mcpBasis: null,
    tool: null,
    toolClass: null,
    message,
    raw,
  });
}
const named = (displayName: string, groupName: string | null = null): Facts => ({
  action: { action: "k", displayName, groupName },
});
const bob = { id: "acc-bob", type: "users", attributes: { name: "Bob Example" } };
const token = (label: string) => ({ id: "t1", type: "api-token", attributes: { label } });

describe("api-token-created", () => {
  it("raises, low, on a token created, with its label", () => {
    const hit = apiTokenCreated.evaluate(
      admin("act_91c2", [token("laptop")]),
      named("API token created"),
      {},
      context,
    );
    expect(hit).toMatchObject({
      title: "Alice Example created an API token “laptop”",
      detail: { token: "laptop", aiTool: false },
    });
    expect(hit?.severity).toBeUndefined();
  });

  it.each([
    "claude-code",
    "Cursor",
    "copilot",
    "chatgpt export",
    "gemini",
    "windsurf",
    "jira-mcp",
    "release agent",
    "my AI helper",
  ])("is high when the label names an AI tool: %s", (label) => {
    const hit = apiTokenCreated.evaluate(
      admin("act_91c2", [token(label)]),
      named("API token created"),
      {},
      context,
    );
    expect(hit?.severity).toBe("high");
    expect(hit?.title).toContain("named for an AI tool");
  });

  it("is not fooled by words that merely contain an AI tool's letters", () => {
    for (const label of ["maintenance", "said", "pagination", "backup"]) {
      const hit = apiTokenCreated.evaluate(
        admin("x", [token(label)]),
        named("API token created"),
        {},
        context,
      );
      expect(hit?.severity, label).toBeUndefined();
    }
  });

  it("falls back to the key when the catalogue does not list the action", () => {
    expect(
      apiTokenCreated.evaluate(admin("api_token_created", [token("scripts")]), {}, {}, context),
    ).not.toBeNull();
  });

  it("is silent for an organization API key, and for MCP events", () => {
    expect(
      apiTokenCreated.evaluate(
        admin("k"),
        named("Organization API key created", "API keys"),
        {},
        context,
      ),
    ).toBeNull();
    expect(
      apiTokenCreated.evaluate(mcpEvent({ action: "api_token_created" }), {}, {}, context),
    ).toBeNull();
  });
});

describe("two-step-disabled", () => {
  it("raises on 2SV turned off, naming whose", () => {
    const hit = twoStepDisabled.evaluate(
      admin("x", [bob]),
      named("Two-step verification disabled for user"),
      {},
      context,
    );
    expect(hit?.title).toBe("Two-step verification disabled for Bob Example by Alice Example");
  });

  it("falls back to Atlassian's snake_case key", () => {
    expect(
      twoStepDisabled.evaluate(admin("twosv_disabled_for_user", [bob]), {}, {}, context),
    ).not.toBeNull();
  });

  it("is silent when 2SV is turned on, or for a login", () => {
    expect(
      twoStepDisabled.evaluate(
        admin("x"),
        named("Two-step verification enabled for user"),
        {},
        context,
      ),
    ).toBeNull();
    expect(twoStepDisabled.evaluate(admin("twosv_enabled_for_user"), {}, {}, context)).toBeNull();
    expect(twoStepDisabled.evaluate(admin("x"), named("User logged in"), {}, context)).toBeNull();
  });
});

describe("org-admin-granted", () => {
  it("raises on the catalogue's name and on the key", () => {
    expect(
      orgAdminGranted.evaluate(admin("x", [bob]), named("Added organization admin"), {}, context)
        ?.title,
    ).toBe("Organization admin granted for Bob Example by Alice Example");
    expect(
      orgAdminGranted.evaluate(admin("added_org_admin", [bob]), {}, {}, context),
    ).not.toBeNull();
  });

  it("raises on a generic role grant only when the role is organization admin", () => {
    const role = (name: string) => ({ id: "r", type: "role", attributes: { name } });
    expect(
      orgAdminGranted.evaluate(
        admin("user_granted_role", [bob, role("org-admin")]),
        named("User granted role"),
        {},
        context,
      ),
    ).not.toBeNull();
    expect(
      orgAdminGranted.evaluate(
        admin("user_granted_role", [bob, role("jira-user")]),
        named("User granted role"),
        {},
        context,
      ),
    ).toBeNull();
  });

  it("reads the role from the grant's role, not from a name anyone chooses", () => {
    const fan = { id: "acc-fan", type: "users", attributes: { name: "Bob (org admin fan)" } };
    const role = { id: "r", type: "role", attributes: { name: "jira-user" } };
    const grant = admin("user_granted_role", [fan, role], "Bob (org admin fan) was granted a role");
    expect(orgAdminGranted.evaluate(grant, named("User granted role"), {}, context)).toBeNull();
    // With no item naming the role, the message is all there is, without the names in it.
    const told = admin("user_granted_role", [bob], "Bob was granted the organization admin role");
    expect(orgAdminGranted.evaluate(told, named("User granted role"), {}, context)).not.toBeNull();
    const fanOnly = admin("user_granted_role", [fan], "Bob (org admin fan) was granted a role");
    expect(orgAdminGranted.evaluate(fanOnly, named("User granted role"), {}, context)).toBeNull();
  });

  it("is silent for an admin removed", () => {
    expect(
      orgAdminGranted.evaluate(admin("x"), named("Removed organization admin"), {}, context),
    ).toBeNull();
  });
});

describe("user-impersonated", () => {
  it("raises on a log in as another user", () => {
    expect(
      userImpersonated.evaluate(admin("x", [bob]), named("Logged in as another user"), {}, context)
        ?.title,
    ).toBe("Logged in as another user for Bob Example by Alice Example");
    expect(userImpersonated.evaluate(admin("user_impersonated"), {}, {}, context)).not.toBeNull();
  });

  it("is silent for an ordinary login", () => {
    expect(
      userImpersonated.evaluate(admin("user_logged_in"), named("User logged in"), {}, context),
    ).toBeNull();
  });
});

describe("auth-policy-changed", () => {
  it("raises on an authentication policy or SSO change", () => {
    expect(
      authPolicyChanged.evaluate(admin("x"), named("Authentication policy updated"), {}, context),
    ).not.toBeNull();
    expect(
      authPolicyChanged.evaluate(
        admin("x"),
        named("SAML single sign-on configuration changed"),
        {},
        context,
      ),
    ).not.toBeNull();
    expect(
      authPolicyChanged.evaluate(admin("authentication_policy_updated"), {}, {}, context),
    ).not.toBeNull();
  });

  it("leaves IP allowlists and MCP authentication to mcp-settings-changed", () => {
    expect(
      authPolicyChanged.evaluate(
        admin("x"),
        named("IP allowlist updated", "Security"),
        {},
        context,
      ),
    ).toBeNull();
    expect(
      authPolicyChanged.evaluate(
        admin("x"),
        named("Rovo MCP server authentication settings updated", "Rovo"),
        {},
        context,
      ),
    ).toBeNull();
  });

  it("is silent for a policy only read", () => {
    expect(
      authPolicyChanged.evaluate(admin("x"), named("Authentication policy viewed"), {}, context),
    ).toBeNull();
  });
});
