import {
  type BodyFile,
  decodeJsonFields,
  formToParams,
  type Params,
  type ParsedBody,
  parseBody,
  readBody,
  type SlackResult,
  sendJson,
  sendText,
} from "../../src/console/slack-body.js";

export type { BodyFile, Params, ParsedBody, SlackResult };
export { decodeJsonFields, formToParams, parseBody, readBody, sendJson, sendText };

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
