import { precursorRule } from "./precursor-rule.js";

export const authPolicyChanged = precursorRule({
  id: "auth-policy-changed",
  severity: "high",
  explanation:
    "An authentication policy, single sign-on or the identity provider changed: who may sign in, with what, and whether two-step verification is enforced. (IP allowlist changes are raised by mcp-settings-changed.)",
  what: "Authentication policy changed",
});
