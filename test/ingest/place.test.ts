import { describe, expect, it } from "vitest";
import { items } from "../../src/domain/audit-fields.js";
import { NO_PLACE } from "../../src/domain/event.js";
import { placeOf, placeOfRaw } from "../../src/ingest/place.js";

const place = (list: unknown[]) => placeOf(items(list));

describe("where an event acted", () => {
  it("reads the space and page, the project and issue, from the items' attributes", () => {
    expect(
      place([{ id: "9", type: "confluence-page", attributes: { pageId: "123", spaceKey: "HR" } }]),
    ).toEqual({ space: "HR", page: "123", project: null, issue: null });
    expect(place([{ type: "jira-issue", attributes: { issueKey: "SEC-1" } }])).toEqual({
      space: null,
      page: null,
      project: "SEC",
      issue: "SEC-1",
    });
    expect(
      place([{ type: "jira-project", attributes: { projectKey: "OPS", name: "Ops" } }]),
    ).toEqual({ ...NO_PLACE, project: "OPS" });
  });

  it("takes a page item's id, an issue item's key, and nested space and project keys", () => {
    expect(place([{ id: "777", type: "blogpost", attributes: { space: { key: "ENG" } } }])).toEqual(
      {
        ...NO_PLACE,
        space: "ENG",
        page: "777",
      },
    );
    expect(place([{ type: "issue", attributes: { key: "ab-1", project: { key: "AB" } } }])).toEqual(
      { ...NO_PLACE, project: "AB", issue: "ab-1" },
    );
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
      ).issue,
    ).toBe("X-2");
  });
});
