import type { ToolClass, ToolRisk } from "../domain/event.js";

/** What the catalogue knows of one Rovo MCP tool. */
export interface ToolEntry {
  readonly product: string;
  readonly class: ToolClass;
  readonly risk: ToolRisk;
  /** Runs another operation named in its arguments (`executeWrite`, `executeDestructive`). */
  readonly wrapper?: boolean;
}

/** A tool's risk when the catalogue does not say otherwise. */
export const RISK_OF_CLASS: Readonly<Record<ToolClass, ToolRisk>> = {
  read: "low",
  search: "low",
  write: "medium",
  destructive: "high",
  admin: "high",
};

type Row = readonly [name: string, product: string, toolClass: ToolClass, risk?: ToolRisk];

/**
 * The Rovo MCP server's tools, v1 names and v2 names (renames, new tools, the `discover` and
 * `execute…` wrappers). Shipped with the package; RULES_FILE `tools:` adds to it or overrides it.
 * Bitbucket and Jira Service Management tools are not listed: Atlassian publishes no list of
 * their names, so they are classified by their verb and product until the rules file names them.
 */
const ROWS: readonly Row[] = [
  // Jira
  ["getJiraIssue", "jira", "read"],
  ["getJiraIssueRemoteIssueLinks", "jira", "read"],
  ["getJiraIssueTypeMetaWithFields", "jira", "read"],
  ["getJiraProjectIssueTypesMetadata", "jira", "read"],
  ["getIssueLinkTypes", "jira", "read"],
  ["getTransitionsForJiraIssue", "jira", "read"],
  ["getVisibleJiraProjects", "jira", "read"],
  ["listJiraProjects", "jira", "read"],
  ["lookupJiraAccountId", "jira", "read"],
  ["getJiraProjectVersions", "jira", "read"],
  ["searchJiraIssuesUsingJql", "jira", "search"],
  ["createJiraIssue", "jira", "write"],
  ["editJiraIssue", "jira", "write"],
  ["transitionJiraIssue", "jira", "write"],
  ["addCommentToJiraIssue", "jira", "write"],
  ["addOrEditJiraIssueComment", "jira", "write"],
  ["addWorklogToJiraIssue", "jira", "write"],
  ["createIssueLink", "jira", "write"],
  ["createJiraIssueLink", "jira", "write"],
  ["createJiraVersion", "jira", "write"],
  ["updateJiraVersion", "jira", "write"],
  ["deleteJiraIssue", "jira", "destructive"],
  ["manageJiraProjectVersion", "jira", "admin", "medium"],
  ["createJiraProject", "jira", "admin"],
  // Confluence
  ["getConfluencePage", "confluence", "read"],
  ["getConfluenceContent", "confluence", "read"],
  ["getConfluenceSpaces", "confluence", "read"],
  ["getPagesInConfluenceSpace", "confluence", "read"],
  ["getConfluencePageFooterComments", "confluence", "read"],
  ["getConfluencePageInlineComments", "confluence", "read"],
  ["getConfluencePageDescendants", "confluence", "read"],
  ["searchConfluenceUsingCql", "confluence", "search"],
  ["searchConfluence", "confluence", "search"],
  ["createConfluencePage", "confluence", "write"],
  ["createConfluenceContent", "confluence", "write"],
  ["updateConfluencePage", "confluence", "write"],
  ["updateConfluenceContent", "confluence", "write"],
  ["createConfluenceFooterComment", "confluence", "write"],
  ["createConfluenceInlineComment", "confluence", "write"],
  ["addLabelsToConfluenceContent", "confluence", "write", "low"],
  ["deleteConfluencePage", "confluence", "destructive"],
  ["deleteConfluenceContent", "confluence", "destructive"],
  // Compass
  ["getCompassComponent", "compass", "read"],
  ["getCompassComponents", "compass", "read"],
  ["getCompassCustomFieldDefinitions", "compass", "read"],
  ["createCompassComponent", "compass", "write"],
  ["createCompassComponentRelationship", "compass", "write"],
  ["createCompassCustomFieldDefinition", "compass", "write"],
  // Across products
  ["atlassianUserInfo", "platform", "read"],
  ["getAccessibleAtlassianResources", "platform", "read"],
  ["discover", "platform", "read"],
  ["search", "platform", "search"],
  ["fetch", "platform", "search"],
  ["executeWrite", "platform", "write"],
  ["executeDestructive", "platform", "destructive"],
];

const WRAPPERS = new Set(["executeWrite", "executeDestructive"]);

/** The catalogue shipped with the package, by tool name. */
export const TOOL_CATALOGUE: ReadonlyMap<string, ToolEntry> = new Map(
  ROWS.map(([name, product, toolClass, risk]) => [
    name,
    {
      product,
      class: toolClass,
      risk: risk ?? RISK_OF_CLASS[toolClass],
      ...(WRAPPERS.has(name) ? { wrapper: true } : {}),
    },
  ]),
);
