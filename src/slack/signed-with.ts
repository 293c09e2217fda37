import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** A request at /slack/events as Bolt leaves it: its headers, and its body once read. */
export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  /** Set by Bolt's receiver once the body is read. */
  readonly rawBody?: unknown;
}

/**
 * Whether `request` carries the signature Slack makes with `secret`, whatever its age: `v0=` and
 * the hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`, compared in constant time.
 */
export function signedWith(secret: string, request: ReceivedRequest | undefined): boolean {
  const timestamp = request?.headers["x-slack-request-timestamp"];
  const signature = request?.headers["x-slack-signature"];
  const body = request?.rawBody;
  if (typeof timestamp !== "string" || typeof signature !== "string" || !Buffer.isBuffer(body))
    return false;
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`,
  );
  const received = Buffer.from(signature);
  return received.length === expected.length && timingSafeEqual(received, expected);
}
