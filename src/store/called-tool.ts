/**
 * A call's tool as alerts name it (calledTool in domain/event): a wrapper with the operation it
 * ran (`executeWrite → createJiraIssueLink`), over the `events` view; NULL when the call names no
 * tool. A row stored before migration 0045 has no operation until filled (src/ingest/fill-calls.ts): its bare tool.
 */
export const CALLED_TOOL = "tool || coalesce(' → ' || operation, '')";
