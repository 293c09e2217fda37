import { describe, expect, it } from "vitest";
import type { Posture } from "../../src/detect/posture.js";
import type { ObservedUse } from "../../src/domain/activity.js";
import { postureReport } from "../../src/guidance/posture.js";

const use = (o: Partial<ObservedUse> & { calls: number }): ObservedUse => ({
  site: "acme.atlassian.net",
  product: "jira",
  toolClass: "read",
  toolNamed: 1,
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

  it("flags calls whose product is unknown when no declared product allows their class", () => {
    const unplaced = [
      ...uses,
      use({ calls: 2, product: null, toolClass: "write" }),
      use({ calls: 4, product: null, toolClass: "read" }),
    ];
    const line = (products: NonNullable<Posture["products"]>) =>
      postureReport({ products }, unplaced).find((l) => l.topic === "product unknown");
    expect(line({ jira: ["read", "search"], confluence: ["read"] })).toMatchObject({
      declared: "allowed in some product: read, search",
      observed: "read 4, write 2",
      drift: true,
    });
    expect(line({ jira: ["read"], confluence: ["read", "write"] })?.drift).toBe(false);
    // No such line when every call names its product, or no product is declared.
    expect(postureReport({ products: { jira: ["read"] } }, uses).map((l) => l.topic)).not.toContain(
      "product unknown",
    );
    expect(postureReport({}, unplaced).map((l) => l.topic)).not.toContain("product unknown");
  });

  it("counts calls whose class is unknown, contradicting a product that does not allow every class", () => {
    const unclassed = [
      ...uses,
      use({ calls: 3, product: "bitbucket", toolClass: null }),
      use({ calls: 2, toolClass: null }),
    ];
    const lines = postureReport({ products: { jira: ["read", "search", "write"] } }, unclassed);
    expect(
      lines
        .filter((l) => l.control.id === "permissions")
        .slice(1)
        .map((l) => [l.topic, l.declared, l.observed, l.drift]),
    ).toEqual([
      ["jira", "read, search, write", "read 40, write 5, class unknown 2", true],
      ["confluence", "not allowed", "read 3", true],
      ["bitbucket", "not allowed", "class unknown 3", true],
    ]);
    // A call naming no tool is judged by its product alone, as the rule does.
    const toolless = [...uses, use({ calls: 6, toolClass: null, toolNamed: 0 })];
    expect(
      postureReport({ products: { jira: ["read"], confluence: ["read"] } }, toolless).find(
        (l) => l.topic === "jira",
      ),
    ).toMatchObject({ observed: "read 40, tool not named 6, write 5", drift: true });
    expect(
      postureReport({ products: { jira: ["read", "write"], confluence: ["read"] } }, toolless).find(
        (l) => l.topic === "jira",
      )?.drift,
    ).toBe(false);
    // A product declared with no class allows nothing, a call naming no tool included.
    expect(
      postureReport({ products: { jira: [] } }, [
        use({ calls: 2, toolClass: null, toolNamed: 0 }),
      ]).find((l) => l.topic === "jira"),
    ).toMatchObject({ declared: "nothing", observed: "tool not named 2", drift: true });
    const all = ["read", "search", "write", "destructive", "admin"] as const;
    const everything = postureReport({ products: { jira: [...all] } }, unclassed);
    expect(everything.find((l) => l.topic === "jira")?.drift).toBe(false);
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

  it("counts calls whose event names no site as site unknown, contradicting no declared site", () => {
    const unsited = [...uses, use({ calls: 2, site: null })];
    const line = (sites?: string[]) =>
      postureReport(sites ? { sites } : {}, unsited).find((l) => l.topic === "sites");
    expect(line()?.observed).toBe("acme.atlassian.net 45, legal.atlassian.net 3, site unknown 2");
    // As the posture-drift rule: a call with no site is no call on another site.
    expect(line(["acme.atlassian.net", "legal.atlassian.net"])?.drift).toBe(false);
    expect(postureReport({}, [use({ calls: 4, site: null })]).at(-1)?.observed).toBe(
      "site unknown 4",
    );
  });
});
