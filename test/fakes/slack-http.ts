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

/** Splits the token off: `Authorization: Bearer …` wins over a `token` field. */
export function takeToken(
  authorization: string | undefined,
  params: Params,
): { token: string | undefined; params: Params } {
  const { token: field, ...rest } = params;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  return {
    token: bearer ?? (typeof field === "string" && field !== "" ? field : undefined),
    params: rest,
  };
}

export function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === "true" || value === "1";
}

export function int(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === "number" ? value : Number.parseInt(str(value) ?? "", 10);
  if (!Number.isFinite(n) || n <= 0) return fallback;
  return Math.min(Math.max(Math.trunc(n), min), max);
}

export function fail(error: string, extra: Record<string, unknown> = {}): SlackResult {
  return { ok: false, error, ...extra };
}

/** Opaque cursors in Slack's style (base64 of "kind:value"). */
export function encodeCursor(kind: string, value: string | number): string {
  return Buffer.from(`${kind}:${value}`).toString("base64");
}

export function decodeCursor(cursor: string, kind: string): string | undefined {
  const text = Buffer.from(cursor, "base64").toString("utf8");
  return text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : undefined;
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
