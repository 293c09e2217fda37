import { decodeJsonFields, fail, flag, type Params, parseBody } from "./slack-http.js";
import { checkContent, type SlackLimits } from "./slack-limits.js";
import type { Workspace } from "./slack-methods.js";
import type { ResponseTarget, SlackStore } from "./slack-store.js";

/** An HTTP answer of the fake: JSON when `json` is set, else plain text. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
}

/** How many posts one response_url accepts (Slack: 5 within 30 minutes). */
const MAX_RESPONSES_PER_URL = 5;

/** The upload URL of files.getUploadURLExternal: raw bytes, or multipart (as WebClient sends). */
export async function receiveUpload(
  store: SlackStore,
  fileId: string,
  contentType: string | undefined,
  body: Buffer,
): Promise<Reply> {
  const pending = store.pendingUploads.get(fileId);
  if (!pending) return { status: 404, text: "file_not_found" };
  const isMultipart = (contentType ?? "").toLowerCase().startsWith("multipart/form-data");
  const bytes = isMultipart ? (await parseBody(contentType, body)).files[0]?.bytes : body;
  if (!bytes) return { status: 400, text: "no_file_data" };
  store.pendingUploads.delete(fileId);
  store.uploads.push({
    file_id: fileId,
    filename: pending.filename,
    bytes,
    length: bytes.length,
    declared_length: pending.length,
    completed: false,
  });
  return { status: 200, text: `OK - ${bytes.length}` };
}

function responseBody(params: Params): Params | undefined {
  if (typeof params.payload !== "string") return params;
  try {
    const value: unknown = JSON.parse(params.payload);
    return typeof value === "object" && value !== null
      ? decodeJsonFields(value as Params)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A POST to a response_url: recorded, at most five per URL, applied to its target if any. */
export async function receiveResponse(
  store: SlackStore,
  ws: Workspace,
  limits: SlackLimits | false,
  at: number,
  id: string,
  contentType: string | undefined,
  raw: Buffer,
): Promise<Reply> {
  const parsed = await parseBody(contentType, raw);
  const body = parsed.invalid ? undefined : responseBody(parsed.params);
  if (!body) return { status: 400, json: fail(parsed.invalid ?? "invalid_payload") };
  if (store.responses.filter((r) => r.id === id).length >= MAX_RESPONSES_PER_URL)
    return { status: 404, json: fail("used_url") };
  const invalid = checkContent(body, limits, false);
  if (invalid) return { status: 400, json: invalid };
  store.responses.push({ id, body, at, via: "response_url" });
  const target = store.responseTargets.get(id);
  if (target) applyResponse(store, ws, target, body);
  return { status: 200, json: { ok: true } };
}

function applyResponse(store: SlackStore, ws: Workspace, target: ResponseTarget, body: Params) {
  const message = target.ts ? store.find(target.channel, target.ts) : undefined;
  const text = typeof body.text === "string" ? body.text : "";
  const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
  if (message && flag(body.delete_original)) {
    store.remove(target.channel, message.ts);
  } else if (message && flag(body.replace_original)) {
    message.text = text;
    message.blocks = blocks;
    message.updates += 1;
    message.edited = store.nextTs();
  } else if (body.response_type === "in_channel") {
    store.add(target.channel, {
      user: ws.botUserId,
      bot_id: ws.botId,
      text,
      blocks,
      attachments: undefined,
      thread_ts: typeof body.thread_ts === "string" ? body.thread_ts : undefined,
      metadata: undefined,
    });
  }
}

/**
 * The body of a command's acknowledgement, as Slack reads it: shown to the person who asked like
 * a reply posted to the command's response URL, so recorded among the responses. What Slack would
 * refuse to show is an error.
 */
export function receiveAcknowledgement(
  store: SlackStore,
  limits: SlackLimits | false,
  at: number,
  id: string,
  text: string,
): void {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`fake Slack: the acknowledgement of ${id} is not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error(`fake Slack: the acknowledgement of ${id} is not an object`);
  const invalid = checkContent(body as Params, limits, true);
  if (invalid)
    throw new Error(`fake Slack: the acknowledgement of ${id}: ${JSON.stringify(invalid)}`);
  store.responses.push({ id, body: body as Params, at, via: "ack" });
}
