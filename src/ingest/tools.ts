import type { ToolClass } from "../domain/event.js";

/**
 * The Rovo MCP server's tools (v1 names and v2 renames) by class. Tools not listed are classified
 * by their verb, so new tools are handled the day Atlassian adds them.
 */
const KNOWN: Record<ToolClass, readonly string[]> = {
  read: [
    "getJiraIssue",
    "getJiraIssueRemoteIssueLinks",
    "getJiraIssueTypeMetaWithFields",
    "getJiraProjectIssueTypesMetadata",
    "getIssueLinkTypes",
    "getTransitionsForJiraIssue",
    "getVisibleJiraProjects",
    "listJiraProjects",
    "lookupJiraAccountId",
    "getConfluencePage",
    "getConfluenceContent",
    "getConfluenceSpaces",
    "getPagesInConfluenceSpace",
    "getConfluencePageFooterComments",
    "getConfluencePageInlineComments",
    "getConfluencePageDescendants",
    "atlassianUserInfo",
    "getAccessibleAtlassianResources",
    "discover",
  ],
  search: [
    "searchJiraIssuesUsingJql",
    "searchConfluenceUsingCql",
    "searchConfluence",
    "search",
    "fetch",
  ],
  write: [
    "createJiraIssue",
    "editJiraIssue",
    "transitionJiraIssue",
    "addCommentToJiraIssue",
    "addOrEditJiraIssueComment",
    "addWorklogToJiraIssue",
    "createIssueLink",
    "createConfluencePage",
    "createConfluenceContent",
    "updateConfluencePage",
    "updateConfluenceContent",
    "createConfluenceFooterComment",
    "createConfluenceInlineComment",
  ],
  destructive: [],
};

const BY_NAME = new Map<string, ToolClass>(
  Object.entries(KNOWN).flatMap(([toolClass, names]) =>
    names.map((name) => [name, toolClass as ToolClass]),
  ),
);

export const KNOWN_TOOLS: readonly string[] = [...BY_NAME.keys()];

const VERBS: ReadonlyArray<readonly [RegExp, ToolClass]> = [
  [/^(execute_?destructive|delete|remove|manage|destroy|purge|archive)/i, "destructive"],
  [/^(search|fetch|query|find)/i, "search"],
  [/^(get|list|lookup|read|view|discover|describe)/i, "read"],
  [
    /^(create|edit|update|add|transition|move|assign|set|link|comment|execute|upsert|publish)/i,
    "write",
  ],
];

/** A tool's class: from the known list, else its leading verb; null when nothing fits. */
export function classifyTool(tool: string): ToolClass | null {
  const known = BY_NAME.get(tool);
  if (known) return known;
  for (const [verb, toolClass] of VERBS) if (verb.test(tool)) return toolClass;
  return null;
}

/** The product a tool acts on, where its name says so (getCompassComponent → compass). */
export function productOfTool(tool: string): string | null {
  const match = /(jira|confluence|compass)/i.exec(tool);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** A camelCase word that starts with a tool verb: how tools look when only a message names them. */
export const TOOL_SHAPED =
  /\b(?:get|list|lookup|search|fetch|create|edit|update|add|transition|delete|remove|manage|execute)[A-Z][A-Za-z]+\b/;
