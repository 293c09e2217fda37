/** The Atlassian organizations API simulator: a synthetic org and a loopback server for it. */

export { MCP_APP_NAME } from "./admin-events.js";
export type { AuditEvent } from "./audit-json.js";
export { DEFAULT_MCP_ACTION_KEY, OAUTH_APP_AUTHORIZED } from "./catalog.js";
export type { Fault } from "./faults.js";
export type { ToolPlacement } from "./mcp-call.js";
export { SyntheticOrg } from "./org.js";
export { type Simulator, type SimulatorOptions, startSimulator } from "./server.js";
export { TOOL_NAMES } from "./tools.js";
