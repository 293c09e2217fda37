import { nowSeconds, signSlackRequest } from "../../src/console/sign.js";

export {
  actionBody,
  commandBody,
  nowSeconds,
  type SlackSignatureHeaders,
  signSlackRequest,
} from "../../src/console/sign.js";

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
  /** The answer's Content-Type header, if any. */
  contentType?: string;
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
  const answer = {
    status: response.status,
    text,
    ...(response.headers.has("content-type")
      ? { contentType: response.headers.get("content-type") ?? "" }
      : {}),
  };
  try {
    return { ...answer, json: JSON.parse(text) as unknown };
  } catch {
    return answer;
  }
}
