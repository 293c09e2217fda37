import { firstText, type Item, rawItems, record } from "../domain/audit-fields.js";
import { NO_PLACE, type Place } from "../domain/event.js";

const ISSUE_KEY = /^([A-Z][A-Z0-9_]*)-\d+$/;
const PAGE_TYPES = /page|blog|content/i;
const ISSUE_TYPES = /issue/i;

/**
 * The space, page, project and issue an event's items name. Where they sit is not published:
 * attributes named like Atlassian's own (`spaceKey`, `pageId`, `projectKey`, `issueKey`), an
 * issue item's `key`, a page item's id; an issue key names its project.
 */
export function placeOf(all: readonly Item[]): Place {
  let space: string | null = null;
  let page: string | null = null;
  let project: string | null = null;
  let issue: string | null = null;
  for (const item of all) {
    const a = item.attributes;
    space ??= firstText(a, ["spaceKey"]) ?? firstText(record(a.space), ["key"]);
    project ??= firstText(a, ["projectKey"]) ?? firstText(record(a.project), ["key"]);
    issue ??=
      firstText(a, ["issueKey"]) ??
      (item.type && ISSUE_TYPES.test(item.type) ? firstText(a, ["key"]) : null);
    page ??=
      firstText(a, ["pageId", "contentId"]) ??
      (item.type && PAGE_TYPES.test(item.type) ? item.id : null);
  }
  if (project === null && issue !== null) project = ISSUE_KEY.exec(issue)?.[1] ?? null;
  return space || page || project || issue ? { space, page, project, issue } : NO_PLACE;
}

/** `placeOf` an event's raw JSON (its context and container items); nothing when unreadable. */
export function placeOfRaw(raw: string): Place {
  return placeOf(rawItems(raw));
}
