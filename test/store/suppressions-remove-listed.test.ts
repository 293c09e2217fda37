/** Remove in `/mcp-activity settings` removes the suppression listed, not the others of its rule and person. */
import { expect, it } from "vitest";
import { freshStore } from "./setup.js";

it("removing the '(Bob only)' suppression leaves the every-subject one", () => {
  const { suppressions } = freshStore();
  const base = { ruleId: "two-step-disabled", userKey: "acc-dana", alertId: null };
  suppressions.add("org-1", { ...base, reason: "every subject" }, "U1", 1000);
  const bob = suppressions.add(
    "org-1",
    { ...base, subject: "acc-bob", subjectLabel: "Bob", reason: "Bob only" },
    "U1",
    2000,
  );
  const removed = suppressions.removeListed(
    "org-1",
    "acc-dana",
    "two-step-disabled",
    bob,
    "U2",
    3000,
  );
  expect(removed.map((s) => s.reason)).toEqual(["Bob only"]);
  expect(suppressions.list("org-1").map((s) => s.reason)).toEqual(["every subject"]);
  // Another person's, or another rule's, is not removed by its id through this one.
  expect(suppressions.removeListed("org-1", "acc-eve", "two-step-disabled", 1, "U2", 3000)).toEqual(
    [],
  );
});
