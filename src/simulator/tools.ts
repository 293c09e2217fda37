/** The Rovo MCP tools the synthetic org calls, with their class, product and what they touch. */

export type ToolClass = "read" | "search" | "write" | "destructive" | "admin";
export type ToolProduct = "jira" | "confluence" | "compass" | "platform";
/** What the call's `context[]` resource item is ("none": no resource item). */
export type ResourceKind =
  | "jira-issue"
  | "jira-project"
  | "confluence-page"
  | "confluence-space"
  | "compass-component"
  | "any-content"
  | "none";

export interface ToolSpec {
  /** v1 name. */
  readonly name: string;
  /** v2 name where the v2 server renamed the tool. */
  readonly v2?: string;
  readonly toolClass: ToolClass;
  readonly product: ToolProduct;
  readonly resource: ResourceKind;
  /** Relative frequency inside its class. */
  readonly weight: number;
  /** The operations a wrapper runs (`executeWrite` → `createJiraIssueLink`). */
  readonly inner?: readonly string[];
}

type Row = readonly [string, ToolProduct, ResourceKind, number, string?];
type V2Row = readonly [string, ToolClass, ToolProduct, ResourceKind, number, (readonly string[])?];

const ROWS: Record<Exclude<ToolClass, "admin">, readonly Row[]> = {
  read: [
    ["getJiraIssue", "jira", "jira-issue", 30],
    ["getJiraIssueRemoteIssueLinks", "jira", "jira-issue", 2],
    ["getJiraIssueTypeMetaWithFields", "jira", "jira-project", 2],
    ["getJiraProjectIssueTypesMetadata", "jira", "jira-project", 2],
    ["getIssueLinkTypes", "jira", "none", 1],
    ["getTransitionsForJiraIssue", "jira", "jira-issue", 4],
    ["getVisibleJiraProjects", "jira", "none", 4, "listJiraProjects"],
    ["lookupJiraAccountId", "jira", "none", 3],
    ["getConfluencePage", "confluence", "confluence-page", 20, "getConfluenceContent"],
    ["getConfluenceSpaces", "confluence", "none", 3],
    ["getPagesInConfluenceSpace", "confluence", "confluence-space", 4],
    ["getConfluencePageFooterComments", "confluence", "confluence-page", 2],
    ["getConfluencePageInlineComments", "confluence", "confluence-page", 2],
    ["getConfluencePageDescendants", "confluence", "confluence-page", 2],
    ["atlassianUserInfo", "platform", "none", 5],
    ["getAccessibleAtlassianResources", "platform", "none", 5],
    ["getCompassComponent", "compass", "compass-component", 4],
    ["getCompassComponents", "compass", "none", 2],
    ["getCompassCustomFieldDefinitions", "compass", "none", 1],
  ],
  search: [
    ["searchJiraIssuesUsingJql", "jira", "none", 40],
    ["searchConfluenceUsingCql", "confluence", "none", 20, "searchConfluence"],
    ["search", "platform", "none", 25],
    ["fetch", "platform", "any-content", 15],
  ],
  write: [
    ["createJiraIssue", "jira", "jira-issue", 20],
    ["editJiraIssue", "jira", "jira-issue", 20],
    ["transitionJiraIssue", "jira", "jira-issue", 12],
    ["addCommentToJiraIssue", "jira", "jira-issue", 20, "addOrEditJiraIssueComment"],
    ["addWorklogToJiraIssue", "jira", "jira-issue", 3],
    ["createIssueLink", "jira", "jira-issue", 3],
    ["createConfluencePage", "confluence", "confluence-page", 8, "createConfluenceContent"],
    ["updateConfluencePage", "confluence", "confluence-page", 10, "updateConfluenceContent"],
    ["createConfluenceFooterComment", "confluence", "confluence-page", 4],
    ["createConfluenceInlineComment", "confluence", "confluence-page", 2],
    ["createCompassComponent", "compass", "compass-component", 2],
    ["createCompassComponentRelationship", "compass", "compass-component", 1],
    ["createCompassCustomFieldDefinition", "compass", "none", 1],
  ],
  destructive: [
    ["deleteJiraIssue", "jira", "jira-issue", 5],
    ["executeDestructiveOperation", "platform", "any-content", 3],
    ["deleteConfluencePage", "confluence", "confluence-page", 2],
  ],
};

function specs(toolClass: Exclude<ToolClass, "admin">): ToolSpec[] {
  return ROWS[toolClass].map(([name, product, resource, weight, v2]) => ({
    name,
    toolClass,
    product,
    resource,
    weight,
    ...(v2 ? { v2 } : {}),
  }));
}

export const TOOLS_BY_CLASS: Record<ToolClass, readonly ToolSpec[]> = {
  read: specs("read"),
  search: specs("search"),
  write: specs("write"),
  destructive: specs("destructive"),
  // Admin tools are v2's only: never drawn by class, only as V2_TOOLS.
  admin: [],
};

/**
 * Tools of the Rovo MCP server v2 that ordinary calls seldom use: its wrappers with the operation
 * they run, new tools, and the delete and manage tools that are off by default. Drawn apart from
 * the tables above (see v2-traffic.ts), so adding one changes no other call.
 */
const V2_ROWS: readonly V2Row[] = [
  ["executeWrite", "write", "jira", "jira-issue", 35, ["createJiraIssueLink", "updateJiraVersion"]],
  ["addLabelsToConfluenceContent", "write", "confluence", "confluence-page", 25],
  ["createConfluenceContent", "write", "confluence", "confluence-page", 25],
  ["executeDestructive", "destructive", "jira", "jira-project", 3, ["manageJiraProjectVersion"]],
  ["deleteJiraIssue", "destructive", "jira", "jira-issue", 1],
  ["createJiraProject", "admin", "jira", "none", 4],
];
export const V2_TOOLS: readonly ToolSpec[] = V2_ROWS.map(
  ([name, toolClass, product, resource, weight, inner]) => ({
    name,
    toolClass,
    product,
    resource,
    weight,
    ...(inner ? { inner } : {}),
  }),
);

const ALL_TOOLS: readonly ToolSpec[] = [...Object.values(TOOLS_BY_CLASS).flat(), ...V2_TOOLS];

/** Every tool name the simulator can emit (v1 and v2 names). */
export const TOOL_NAMES: readonly string[] = [
  ...new Set(ALL_TOOLS.flatMap((t) => (t.v2 ? [t.name, t.v2] : [t.name]))),
];
