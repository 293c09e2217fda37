import { describe, expect, it } from "vitest";
import type { ObservedUse } from "../../src/domain/activity.js";
import { postureReport } from "../../src/guidance/posture.js";

const use = (o: Partial<ObservedUse> & { calls: number }): ObservedUse => ({
  site: "acme.atlassian.net",
  product: "jira",
  toolClass: "read",
  authKind: "oauth",
  ...o,
});

describe("declared posture against observed use", () => {
  const uses = [
    use({ calls: 40 }),
    use({ calls: 5, toolClass: "write" }),
    use({ calls: 3, product: "confluence", site: "legal.atlassian.net", authKind: "api-token" }),
  ];

  it("flags each control the calls contradict, and only those", () => {
    const lines = postureReport(
      {
        apiTokenAuth: "on",
        destructiveTools: "off",
        products: { jira: ["read", "search", "write"] },
        sites: ["acme.atlassian.net"],
      },
      uses,
    );
    expect(lines.map((l) => [l.topic, l.declared, l.observed, l.drift])).toEqual([
      ["API-token authentication", "on", "3 calls with an API token", false],
      ["destructive tools", "off", "0 destructive or admin calls", false],
      ["jira", "read, search, write", "read 40, write 5", false],
      ["confluence", "not allowed", "read 3", true],
      ["sites", "acme.atlassian.net", "acme.atlassian.net 45, legal.atlassian.net 3", true],
    ]);
  });

  it("shows observed use alone when nothing is declared, and no drift", () => {
    const lines = postureReport({}, uses);
    expect(lines.every((l) => !l.drift && l.declared === "not declared")).toBe(true);
    expect(postureReport({}, []).map((l) => l.observed)).toEqual([
      "0 calls with an API token",
      "0 destructive or admin calls",
      "no calls",
    ]);
  });
});
