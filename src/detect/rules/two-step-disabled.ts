import { precursorRule } from "./precursor-rule.js";

export const twoStepDisabled = precursorRule({
  id: "two-step-disabled",
  severity: "high",
  explanation:
    "Two-step verification was turned off for an account: a stolen password is then enough to sign in, and to create an API token an AI tool can use as that person.",
  what: "Two-step verification disabled",
});
