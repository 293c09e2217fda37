import { hash } from "node:crypto";

/**
 * The dedupe key of an event: 48 bits of the SHA-1 of its organization and Atlassian id. An index
 * of these small integers costs far less to keep than one of the two strings, whose random order
 * rewrites a page per stored event. Two events may share a key: lookups compare the ids too.
 */
export function eventKey(orgId: string, id: string): number {
  return Number.parseInt(hash("sha1", `${orgId}\n${id}`).slice(0, 12), 16);
}
