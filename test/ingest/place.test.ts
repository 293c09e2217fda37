import { describe, expect, it } from "vitest";
import { items } from "../../src/domain/audit-fields.js";
import { NO_PLACE } from "../../src/domain/event.js";
import { placeOf, placeOfRaw } from "../../src/ingest/place.js";

const place = (list: unknown[]) => placeOf(items(list));

describe("where an event acted", () => {
  it("reads the space and page, the project and issue, from the items' attributes", () => {
    expect(
      place([{ id: "9", type: "confluence-page", attributes: { pageId: "123", spaceKey: "HR" } }]),
    ).toEqual({ spaces: ["HR"], pages: ["123"], projects: [], issues: [] });
    expect(place([{ type: "jira-issue", attributes: { issueKey: "SEC-1" } }])).toEqual({
      spaces: [],
      pages: [],
      projects: ["SEC"],
      issues: ["SEC-1"],
    });
    expect(
      place([{ type: "jira-project", attributes: { projectKey: "OPS", name: "Ops" } }]),
    ).toEqual({ ...NO_PLACE, projects: ["OPS"] });
  });

  it("takes a page item's id, an issue item's key, and nested space and project keys", () => {
    expect(place([{ id: "777", type: "blogpost", attributes: { space: { key: "ENG" } } }])).toEqual(
      {
        ...NO_PLACE,
        spaces: ["ENG"],
        pages: ["777"],
      },
    );
    expect(place([{ type: "issue", attributes: { key: "ab-1", project: { key: "AB" } } }])).toEqual(
      { ...NO_PLACE, projects: ["AB"], issues: ["ab-1"] },
    );
  });

  it("names every place an event names, each once, in its order", () => {
    expect(
      place([
        { type: "jira-issue", attributes: { issueKey: "OPS-1" } },
        { type: "jira-issue", attributes: { issueKey: "FIN-1", projectKey: "FIN" } },
        { type: "jira-issue", attributes: { issueKey: "OPS-2" } },
        { id: "5", type: "page", attributes: { spaceKey: "ENG" } },
        { id: "6", type: "page", attributes: { spaceKey: "HR" } },
      ]),
    ).toEqual({
      spaces: ["ENG", "HR"],
      pages: ["5", "6"],
      projects: ["OPS", "FIN"],
      issues: ["OPS-1", "FIN-1", "OPS-2"],
    });
  });

  it("names nothing for a site alone, and for JSON it cannot read", () => {
    expect(
      place([{ type: "sites", attributes: { siteHostName: "https://a.atlassian.net" } }]),
    ).toBe(NO_PLACE);
    expect(placeOfRaw("{not json")).toBe(NO_PLACE);
    expect(
      placeOfRaw(
        JSON.stringify({
          attributes: { context: [{ type: "jira-issue", attributes: { issueKey: "X-2" } }] },
        }),
      ).issues,
    ).toEqual(["X-2"]);
  });
});
