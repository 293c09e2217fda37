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

export interface PostSignedOptions {
  /** Timestamp to sign and send (seconds); default now. */
  timestamp?: number;
  /** Sent instead of the computed signature (forgeries); the timestamp is still sent. */
  signature?: string;
  /** Default `application/x-www-form-urlencoded`, with no charset: Bolt compares it exactly. */
  contentType?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

export interface SignedResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/** POSTs a body signed the way Slack does and returns the status and body. */
export async function postSigned(
  url: string,
  body: string,
  secret: string,
  options: PostSignedOptions = {},
): Promise<SignedResponse> {
  const signed = signSlackRequest(secret, body, options.timestamp ?? nowSeconds());
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/x-www-form-urlencoded",
      ...signed,
      ...(options.signature !== undefined ? { "x-slack-signature": options.signature } : {}),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  try {
    return { status: response.status, text, json: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, text };
  }
}
