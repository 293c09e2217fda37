import type { ToolClass, ToolRisk } from "../domain/event.js";
import { RISK_OF_CLASS, TOOL_CATALOGUE, type ToolEntry } from "./tool-catalogue.js";

/** A tool the rules file adds to the catalogue (or overrides in it). */
export interface ToolOverride {
  readonly class: ToolClass;
  readonly product?: string | undefined;
  readonly risk?: ToolRisk | undefined;
}

/** The catalogue in use: the one shipped, with the rules file's `tools:` on top. */
export interface ToolCatalogue {
  readonly entries: ReadonlyMap<string, ToolEntry>;
  /** The names the rules file gave. */
  readonly configured: ReadonlySet<string>;
}

export function toolCatalogue(
  overrides: Readonly<Record<string, ToolOverride>> = {},
): ToolCatalogue {
  const entries = new Map(TOOL_CATALOGUE);
  for (const [name, given] of Object.entries(overrides)) {
    const shipped = TOOL_CATALOGUE.get(name);
    entries.set(name, {
      product: given.product ?? shipped?.product ?? productByName(name) ?? "platform",
      class: given.class,
      risk: given.risk ?? RISK_OF_CLASS[given.class],
      ...(shipped?.wrapper || isWrapperName(name) ? { wrapper: true } : {}),
    });
  }
  return { entries, configured: new Set(Object.keys(overrides)) };
}

export const DEFAULT_TOOLS: ToolCatalogue = toolCatalogue();

/** What is known of a tool: from the catalogue, else guessed from its verb and name. */
export interface ToolInfo {
  readonly class: ToolClass | null;
  readonly product: string | null;
  readonly risk: ToolRisk | null;
  /** Where it is listed; null: classified by its verb alone. */
  readonly known: "catalogue" | "rules file" | null;
  readonly wrapper: boolean;
}

/** The verbs a tool's name starts with, by class; the first class whose verb fits wins. */
const VERBS: ReadonlyArray<readonly [ToolClass, string]> = [
  ["destructive", "execute_?destructive|delete|remove|destroy|purge|archive"],
  ["admin", "manage|administer|grant|configure"],
  ["search", "search|fetch|query|find"],
  ["read", "get|list|lookup|read|view|discover|describe"],
  [
    "write",
    // merge, approve, decline: Bitbucket's pull-request tools.
    "create|edit|update|add|transition|move|assign|set|link|comment|execute|upsert|publish|merge|approve|unapprove|decline",
  ],
];
const LEADING = VERBS.map(([cls, verbs]) => [new RegExp(`^(${verbs})`, "i"), cls] as const);
const WHOLE = VERBS.map(([cls, verbs]) => [new RegExp(`^(${verbs})$`, "i"), cls] as const);
/** Where a name splits into words: `jira_delete_issue`, `bulkDeleteJiraIssues`. */
const WORD_BREAK = /[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/;

/**
 * A tool's class by its verb: the one it starts with, else the most dangerous word of its name
 * that is a verb (`bulkDeleteJiraIssues`, `jira_delete_issue`, `jiraIssueLinkDelete`: a noun
 * such as Link or View must not hide the delete); null when no word is.
 */
function classByVerb(tool: string): ToolClass | null {
  const leading = LEADING.find(([verb]) => verb.test(tool));
  if (leading) return leading[1];
  let found: ToolClass | null = null;
  for (const word of tool.split(WORD_BREAK)) {
    const whole = WHOLE.find(([verb]) => verb.test(word))?.[1];
    if (whole && dangerOf(whole) > dangerOf(found)) found = whole;
  }
  return found;
}

export function describeTool(tool: string, catalogue: ToolCatalogue = DEFAULT_TOOLS): ToolInfo {
  const entry = catalogue.entries.get(tool);
  if (entry) {
    return {
      class: entry.class,
      product: entry.product === "platform" ? null : entry.product,
      risk: entry.risk,
      known: catalogue.configured.has(tool) ? "rules file" : "catalogue",
      wrapper: entry.wrapper === true,
    };
  }
  const toolClass = classByVerb(tool);
  return {
    class: toolClass,
    product: productByName(tool),
    risk: toolClass ? RISK_OF_CLASS[toolClass] : null,
    known: null,
    wrapper: isWrapperName(tool),
  };
}

/** A tool's class: from the catalogue, else its leading verb; null when nothing fits. */
export function classifyTool(
  tool: string,
  catalogue: ToolCatalogue = DEFAULT_TOOLS,
): ToolClass | null {
  return describeTool(tool, catalogue).class;
}

/** Most dangerous first: how several candidate tools are ranked. */
const DANGER: Readonly<Record<ToolClass, number>> = {
  admin: 5,
  destructive: 4,
  write: 3,
  search: 1,
  read: 1,
};

export function dangerOf(toolClass: ToolClass | null): number {
  return toolClass ? DANGER[toolClass] : 0;
}

function isWrapperName(tool: string): boolean {
  return /^execute[A-Z_]/.test(tool);
}

function productByName(tool: string): string | null {
  const match = /(jira|confluence|compass|bitbucket|jsm|servicedesk|servicemanagement)/i.exec(tool);
  const word = match?.[1]?.toLowerCase();
  if (!word) return null;
  return word === "servicedesk" || word === "servicemanagement" ? "jsm" : word;
}

/**
 * A name of several words one of which is a tool verb (`jira_delete_issue`, `bulkDeleteJiraIssues`):
 * how a tool the catalogue does not list looks beside "called" in a message. One word is not
 * enough: people and apps called Grant or Publish sit beside "called" too.
 */
export function hasVerbWord(name: string): boolean {
  const words = name.split(WORD_BREAK).filter((word) => word !== "");
  return words.length > 1 && words.some((word) => WHOLE.some(([verb]) => verb.test(word)));
}

/** A camelCase word that starts with one of the verbs above: how a tool looks anywhere in a message. */
export const TOOL_SHAPED = new RegExp(
  `\\b(?:${VERBS.map(([, verbs]) => verbs).join("|")})[A-Z][A-Za-z]+\\b`,
  "g",
);
