import { precursorRule } from "./precursor-rule.js";

export const userImpersonated = precursorRule({
  id: "user-impersonated",
  severity: "high",
  explanation:
    "A user logged in as another user: whatever follows, API tokens and AI tool connections included, is done in the other person's name.",
  what: "Logged in as another user",
});
