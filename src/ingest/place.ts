import { firstText, type Item, rawItems, record } from "../domain/audit-fields.js";
import { NO_PLACE, type Place } from "../domain/event.js";

/** Jira project keys are upper case; an issue key written in lower case names the same project. */
const ISSUE_KEY = /^([A-Z][A-Z0-9_]*)-\d+$/i;
const PAGE_TYPES = /page|blog|content/i;
const ISSUE_TYPES = /issue/i;

/**
 * Every space, page, project and issue an event's items name: a watched place named second counts
 * as much as one named first. Where they sit is not published: attributes named like Atlassian's
 * own (`spaceKey`, `pageId`, `projectKey`, `issueKey`), an issue item's `key`, a page item's id;
 * an issue key names its project.
 */
export function placeOf(all: readonly Item[]): Place {
  const spaces = new Set<string>();
  const pages = new Set<string>();
  const projects = new Set<string>();
  const issues = new Set<string>();
  const add = (set: Set<string>, value: string | null) => {
    if (value !== null) set.add(value);
  };
  for (const item of all) {
    const a = item.attributes;
    add(spaces, firstText(a, ["spaceKey"]) ?? firstText(record(a.space), ["key"]));
    add(projects, firstText(a, ["projectKey"]) ?? firstText(record(a.project), ["key"]));
    const issue =
      firstText(a, ["issueKey"]) ??
      (item.type && ISSUE_TYPES.test(item.type) ? firstText(a, ["key"]) : null);
    add(issues, issue);
    if (issue !== null) add(projects, ISSUE_KEY.exec(issue)?.[1]?.toUpperCase() ?? null);
    add(
      pages,
      firstText(a, ["pageId", "contentId"]) ??
        (item.type && PAGE_TYPES.test(item.type) ? item.id : null),
    );
  }
  if (spaces.size + pages.size + projects.size + issues.size === 0) return NO_PLACE;
  return { spaces: [...spaces], pages: [...pages], projects: [...projects], issues: [...issues] };
}

/** `placeOf` an event's raw JSON (its context and container items); nothing when unreadable. */
export function placeOfRaw(raw: string): Place {
  return placeOf(rawItems(raw));
}
