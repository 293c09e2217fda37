import type { ActionInfo, NormalizedEvent, StoredEvent } from "../domain/event.js";
import { buildCatalog, type McpCatalog } from "./classify.js";
import { reclassify } from "./normalize.js";
import { type ToolOverride, toolCatalogue } from "./tools.js";

/** What a rules file adds to the classification: its extra MCP action keys and its tools. */
export interface FileClassification {
  readonly mcpActionKeys: readonly string[];
  readonly tools: Readonly<Record<string, ToolOverride>>;
}

/** The catalogue a rules file classifies with: the actions last fetched, with its keys and tools. */
export function catalogFor(actions: readonly ActionInfo[], file: FileClassification): McpCatalog {
  return buildCatalog(actions, file.mcpActionKeys, toolCatalogue(file.tools));
}

/** A stored event classified again from its raw JSON, its place in the store kept. */
export function classifiedAgain(event: StoredEvent, catalog: McpCatalog): StoredEvent {
  return { ...event, ...reclassify(event, catalog) };
}

const COMPARED = [
  "isMcp",
  "mcpBasis",
  "tool",
  "toolClass",
  "innerTool",
  "toolGuessed",
  "product",
  "resource",
  "authKind",
  "siteHost",
  "clientApp",
] as const satisfies ReadonlyArray<keyof NormalizedEvent>;

/** Whether two classifications of one event differ in a column the catalogues decide. */
export function classifiedOtherwise(a: NormalizedEvent, b: NormalizedEvent | undefined): boolean {
  return b === undefined || COMPARED.some((key) => a[key] !== b[key]);
}
