/** Decoding the bodies the Slack Web API client sends (JSON, form, multipart), and JSON replies. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Decoded arguments of one Web API call. */
export type Params = Record<string, unknown>;

/** What a Web API method answers (before JSON encoding). */
export type SlackResult = { ok: boolean } & Record<string, unknown>;

/** A file part of a multipart body. */
export interface BodyFile {
  field: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

export interface ParsedBody {
  params: Params;
  files: BodyFile[];
  /** Set when the body could not be decoded (e.g. broken JSON). */
  invalid?: string;
}

/**
 * Fields that @slack/web-api JSON-encodes inside form bodies because they are arrays or objects.
 * They are decoded back; a value that does not parse stays a string so methods can reject it.
 */
const JSON_FIELDS = new Set([
  "blocks",
  "attachments",
  "metadata",
  "files",
  "view",
  "unfurls",
  "user_auth_blocks",
]);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Decodes a JSON, form-urlencoded or multipart body; an empty body gives no params. */
export async function parseBody(
  contentType: string | undefined,
  body: Buffer,
): Promise<ParsedBody> {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (body.length === 0) return { params: {}, files: [] };
  if (type === "application/json") {
    try {
      const value: unknown = JSON.parse(body.toString("utf8"));
      if (value === null || typeof value !== "object" || Array.isArray(value))
        return { params: {}, files: [], invalid: "invalid_json" };
      return { params: decodeJsonFields(value as Params), files: [] };
    } catch {
      return { params: {}, files: [], invalid: "invalid_json" };
    }
  }
  if (type === "multipart/form-data") return parseMultipart(contentType ?? "", body);
  return { params: decodeJsonFields(formToParams(body.toString("utf8"))), files: [] };
}

async function parseMultipart(contentType: string, body: Buffer): Promise<ParsedBody> {
  const request = new Request("http://fake.invalid/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: new Uint8Array(body),
  });
  const params: Params = {};
  const files: BodyFile[] = [];
  try {
    const form = await request.formData();
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") params[field] = value;
      else {
        const bytes = Buffer.from(await value.arrayBuffer());
        files.push({ field, filename: value.name, type: value.type, bytes });
      }
    }
  } catch {
    return { params: {}, files: [], invalid: "invalid_form_data" };
  }
  return { params: decodeJsonFields(params), files };
}

export function formToParams(text: string): Params {
  const params: Params = {};
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  return params;
}

export function decodeJsonFields(params: Params): Params {
  const out: Params = { ...params };
  for (const key of JSON_FIELDS) {
    const value = out[key];
    if (typeof value !== "string") continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // left as a string: the method answers with its "invalid format" error
    }
  }
  return out;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}
