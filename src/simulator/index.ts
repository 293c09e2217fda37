/** The Atlassian organizations API simulator: a synthetic org and a loopback server for it. */

export { MCP_APP_NAME } from "./admin-events.js";
export type { AuditEvent, AuditItem } from "./audit-json.js";
export {
  actionCatalog,
  type CatalogEntry,
  DEFAULT_MCP_ACTION_KEY,
  NOISE_ACTIONS,
  OAUTH_APP_AUTHORIZED,
  SETTINGS_ACTIONS,
} from "./catalog.js";
export type { Position } from "./cursor.js";
export type { Fault, FaultKind, FaultOptions, GarbageVariant } from "./faults.js";
export type { EventKind, Generated } from "./generate.js";
export type { McpCallInfo, ToolPlacement } from "./mcp-call.js";
export { DEFAULT_START, type McpCallRecord, type OrgOptions, SyntheticOrg } from "./org.js";
export {
  type RecordedRequest,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "./server.js";
export { EventStream, isValidEvent, type ValidEvent } from "./stream.js";
export { TOOL_NAMES, type ToolClass, toolClassOf } from "./tools.js";
