import { createHmac } from "node:crypto";
import { fingerprint } from "../secret.js";

/** The signature headers of an export POST (docs/export.md shows how a receiver checks them). */
export const TIMESTAMP_HEADER = "x-mcp-activity-timestamp";
export const SIGNATURE_HEADER = "x-mcp-activity-signature";

/** `v1=` and the hex HMAC-SHA256 of "v1:<timestamp>:<body>" keyed with EXPORT_SECRET. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`v1:${timestamp}:${body}`).digest("hex")}`;
}

/**
 * Which receiver and secret a stop was met with, or a batch delivered to, without the secret: an
 * HMAC of the URL keyed with the secret. A restart with either changed is a new target: the
 * export resumes, and the last delivery shown is the new target's.
 */
export function targetFingerprint(url: string, secret: string): string {
  return fingerprint(secret, `export target ${url}`);
}
