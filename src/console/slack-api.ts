import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Params, parseBody, readBody, sendJson, sendText } from "./slack-body.js";

/** A message as the console channel keeps it. */
export interface ConsoleMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: readonly unknown[];
  readonly threadTs: string | undefined;
  readonly metadata: unknown;
}

/** What the console shows; the Web API calls and response_url posts end here. */
export interface ConsoleSink {
  message(message: ConsoleMessage, change: "posted" | "updated"): void;
  /** A reply only the person who asked sees (a response_url post). */
  ephemeral(body: { text: string; blocks: readonly unknown[] }): void;
  file(name: string, bytes: Buffer, comment: string | undefined): void;
}

/** The one person at the console: the responder who types commands and clicks buttons. */
export interface ConsoleUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
}

export const CONSOLE_CHANNEL = "CCONSOLE1";
const DM_CHANNEL = "DCONSOLE1";
const BOT = { user_id: "UMCPBOT01", bot_id: "BMCPBOT01", user: "mcp-activity" };

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The Slack Web API methods mcp-activity calls, served on 127.0.0.1 and shown on a console
 * instead of a Slack workspace. The app runs unchanged against it (SLACK_API_URL points here), and
 * its response URLs are served here too.
 */
export class ConsoleSlack {
  private readonly messages: ConsoleMessage[] = [];
  private readonly uploads = new Map<string, { name: string; bytes?: Buffer }>();
  private sequence = 0;
  private server: Server | undefined;
  /** `http://127.0.0.1:port/<secret>`: only the app this run started knows where to call. */
  private base = "";
  private readonly secret = randomBytes(16).toString("hex");

  constructor(
    private readonly sink: ConsoleSink,
    readonly user: ConsoleUser,
  ) {}

  /** The Web API base URL (with its trailing slash), for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** A fresh response_url for one command or click. */
  responseUrl(): string {
    return `${this.base}/respond/${++this.sequence}`;
  }

  /** A reply given in the app's acknowledgement of a request (JSON), shown as Slack shows it. */
  acknowledged(text: string): void {
    this.showReply(JSON.parse(text) as Record<string, unknown>);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => sendText(res, 500, String(error)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${this.secret}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Another local process does not know the secret path: it reads, prints and saves nothing.
    const full = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (!full.startsWith(`/${this.secret}/`)) {
      req.resume();
      sendText(res, 404, "not_found");
      return;
    }
    const raw = await readBody(req);
    const path = full.slice(this.secret.length + 1);
    const { params, files } = await parseBody(req.headers["content-type"], raw);
    if (path.startsWith("/respond/")) {
      this.showReply(typeof params.payload === "string" ? JSON.parse(params.payload) : params);
      sendJson(res, 200, { ok: true });
      return;
    }
    if (path.startsWith("/upload/")) {
      const upload = this.uploads.get(path.slice("/upload/".length));
      if (upload) upload.bytes = files[0]?.bytes ?? raw;
      sendText(res, upload ? 200 : 404, upload ? "OK" : "file_not_found");
      return;
    }
    const method = path.replace(/^\/api\//, "");
    sendJson(res, 200, this.call(method, params));
  }

  private showReply(body: Record<string, unknown>): void {
    this.sink.ephemeral({ text: str(body.text), blocks: list(body.blocks) });
  }

  private call(method: string, p: Params): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, team: "Console", team_id: "TCONSOLE1", url: this.base, ...BOT };
      case "chat.postMessage":
        return this.post(p);
      case "chat.update":
        return this.update(p);
      case "conversations.history":
        return { ok: true, messages: this.history(str(p.channel)), has_more: false };
      case "conversations.replies":
        return { ok: true, messages: this.replies(str(p.channel), str(p.ts)), has_more: false };
      case "conversations.info":
        // The console's channel is the operator's alone: private, shared with nobody.
        return { ok: true, channel: { id: str(p.channel), is_private: true, is_shared: false } };
      case "conversations.members":
      case "usergroups.users.list":
        return { ok: true, members: [this.user.id], users: [this.user.id] };
      case "conversations.open":
        return { ok: true, channel: { id: DM_CHANNEL } };
      case "users.info":
      case "users.lookupByEmail":
        return this.lookup(str(p.user), str(p.email));
      case "files.getUploadURLExternal": {
        const id = `FCONSOLE${++this.sequence}`;
        this.uploads.set(id, { name: str(p.filename) });
        return { ok: true, file_id: id, upload_url: `${this.base}/upload/${id}` };
      }
      case "files.completeUploadExternal":
        return this.completeUpload(p);
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  private post(p: Params): Record<string, unknown> {
    const message: ConsoleMessage = {
      channel: str(p.channel),
      ts: this.nextTs(),
      text: str(p.text),
      blocks: list(p.blocks),
      threadTs: str(p.thread_ts) || undefined,
      metadata: p.metadata,
    };
    this.messages.push(message);
    this.sink.message(message, "posted");
    return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text } };
  }

  private update(p: Params): Record<string, unknown> {
    const message = this.messages.find((m) => m.channel === str(p.channel) && m.ts === str(p.ts));
    if (!message) return { ok: false, error: "message_not_found" };
    message.text = str(p.text);
    message.blocks = list(p.blocks);
    this.sink.message(message, "updated");
    return { ok: true, channel: message.channel, ts: message.ts };
  }

  private history(channel: string): unknown[] {
    return this.listed(this.messages.filter((m) => m.channel === channel && !m.threadTs));
  }

  private replies(channel: string, ts: string): unknown[] {
    return this.listed(
      this.messages.filter((m) => m.channel === channel && (m.ts === ts || m.threadTs === ts)),
    ).reverse();
  }

  private listed(messages: readonly ConsoleMessage[]): unknown[] {
    return [...messages].reverse().map((m) => ({
      type: "message",
      ts: m.ts,
      text: m.text,
      bot_id: BOT.bot_id,
      ...(m.metadata ? { metadata: m.metadata } : {}),
    }));
  }

  private lookup(id: string, email: string): Record<string, unknown> {
    const { user } = this;
    if ((id && id !== user.id) || (email && email.toLowerCase() !== user.email.toLowerCase()))
      return { ok: false, error: "users_not_found" };
    return {
      ok: true,
      user: {
        id: user.id,
        name: user.name,
        real_name: user.name,
        tz: user.timeZone,
        profile: { email: user.email, real_name: user.name, display_name: user.name },
      },
    };
  }

  private completeUpload(p: Params): Record<string, unknown> {
    const done = list(p.files).flatMap((entry) => {
      const id = str((entry as { id?: unknown }).id);
      const upload = this.uploads.get(id);
      if (!upload?.bytes) return [];
      this.uploads.delete(id);
      this.sink.file(upload.name, upload.bytes, str(p.initial_comment) || undefined);
      return [{ id, title: upload.name }];
    });
    return done.length > 0 ? { ok: true, files: done } : { ok: false, error: "file_not_found" };
  }

  private nextTs(): string {
    const seconds = Math.floor(Date.now() / 1000);
    return `${seconds}.${String(++this.sequence).padStart(6, "0")}`;
  }
}
