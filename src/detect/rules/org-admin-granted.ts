import { precursorRule } from "./precursor-rule.js";

export const orgAdminGranted = precursorRule({
  id: "org-admin-granted",
  severity: "high",
  explanation:
    "Someone was made an organization admin: they can change every control over AI tool access, create organization API keys and read the audit log.",
  what: "Organization admin granted",
});
