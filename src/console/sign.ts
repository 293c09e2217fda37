/** Signing requests the way Slack signs what it sends to an app. */
import { createHmac } from "node:crypto";

/** The two headers Slack adds to every request it sends to an app. */
export interface SlackSignatureHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `v0=` + hex HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`), as Slack signs requests. */
export function signSlackRequest(
  secret: string,
  body: string,
  timestampSeconds: number = nowSeconds(),
): SlackSignatureHeaders {
  const digest = createHmac("sha256", secret)
    .update(`v0:${timestampSeconds}:${body}`)
    .digest("hex");
  return {
    "x-slack-signature": `v0=${digest}`,
    "x-slack-request-timestamp": String(timestampSeconds),
  };
}

/** A slash command's form body (`command`, `text`, `user_id`, `channel_id`, `response_url`…). */
export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interactivity (button click) body: the form field `payload` holding JSON. */
export function actionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
