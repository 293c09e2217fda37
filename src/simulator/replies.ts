/** HTTP replies in the Atlassian admin API's shapes, built as values and sent by server.ts. */

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** Work to do once the reply is sent. */
  afterSent?: () => void;
}

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** `{ errors: [{ status, code, title, detail }] }`. */
export function errorReply(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
): Reply {
  const title = TITLES[status] ?? "Error";
  return jsonReply(status, { errors: [{ status: String(status), code, title, detail }] }, headers);
}

/** ISO 8601 UTC; `toMinute` rounds up to the next whole minute and drops the seconds. */
export function isoReset(ms: number, toMinute = false): string {
  if (!toMinute) return new Date(ms).toISOString();
  return new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().replace(/:00\.000Z$/, "Z");
}
