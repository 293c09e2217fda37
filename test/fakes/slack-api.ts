import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MANIFEST_SCOPES } from "../../src/slack/scopes.js";
import {
  fail,
  formToParams,
  type Params,
  parseBody,
  readBody,
  type SlackResult,
  sendJson,
  sendText,
  takeToken,
} from "./slack-http.js";
import { DEFAULT_LIMITS, type SlackLimits } from "./slack-limits.js";
import { type Handler, slackMethods, type Workspace } from "./slack-methods.js";
import {
  type Reply,
  receiveAcknowledgement,
  receiveResponse,
  receiveUpload,
} from "./slack-routes.js";
import { Signals } from "./slack-signals.js";
import {
  type FakeChannelInfo,
  type FakeEphemeral,
  type FakeMessage,
  type FakeResponse,
  type FakeUpload,
  type FakeUser,
  type ResponseTarget,
  type SlackMetadata,
  SlackStore,
} from "./slack-store.js";

export type {
  FakeEphemeral,
  FakeMessage,
  FakeResponse,
  FakeUpload,
  FakeUser,
  ResponseTarget,
  SlackLimits,
  SlackMetadata,
};

/**
 * A fault for the next call of a method. `status` and `error` faults answer without performing
 * the call; `delayMs` performs it and answers late; `drop` performs it (the message is stored)
 * and then cuts the connection without an answer, like a crash after Slack accepted a post.
 */
export type SlackFault =
  | { status: 429; retryAfter: number }
  /** A 429 with no Retry-After header */
  | { status: 429; noRetryAfter: true }
  /** Answers this raw body (not JSON) without performing the call */
  | { raw: string; rawStatus?: number }
  /** Performs the call (the message is stored), then answers ok:false with `error` */
  | { errorAfter: string }
  /** A gateway answers `gatewayStatus` at once; Slack performs the call `performAfterMs` later */
  | { gatewayStatus: 502 | 504; performAfterMs: number }
  | { status: 500 | 502 | 503 | 504 }
  /** ok:false with `error`, and more of Slack's answer (missing_scope's `needed` and `provided`) */
  | { error: string; fields?: Record<string, string> }
  | { delayMs: number }
  | { drop: true }
  /** Performs the call, then never answers (until the caller goes away): a crash's moment. */
  | { hang: true };

/** Which calls a queued fault applies to, by their decoded arguments. */
export type FaultMatch = (params: Params) => boolean;

export interface SlackCall {
  method: string;
  /** Decoded arguments, without the token; JSON-encoded form fields (blocks, metadata…) decoded. */
  params: Params;
  token: string | undefined;
  at: number;
  /** The fault this call met, if any. */
  fault?: SlackFault;
}

export interface FakeSlackOptions extends Partial<Workspace> {
  /** When set, calls need this token: none gives `not_authed`, another `invalid_auth`. */
  token?: string;
  /** Clock for `at` and for new message ts (default Date.now). */
  now?: () => number;
  /** Message limits enforced by chat.* (false: none). */
  limits?: Partial<SlackLimits> | false;
  /**
   * The scopes the X-OAuth-Scopes header of each Web API answer says the token has (default:
   * those of manifest.yml); false: no header. It only says so: the methods do not check them.
   */
  scopes?: readonly string[] | false;
}

/** What `fake.addMessage` seeds into a channel's history. */
export interface SeedMessage {
  text?: string;
  /** Author; a human (no bot_id) unless it is the bot's own user id. */
  user?: string;
  ts?: string;
  blocks?: unknown[];
  thread_ts?: string;
  metadata?: SlackMetadata;
}

/** Fault queues for the two non-API routes of the fake. */
export const UPLOAD_ROUTE = "upload";
export const RESPOND_ROUTE = "respond";

export class FakeSlack {
  /** The Web API base to pass as `slackApiUrl` (ends in `/api/`). */
  readonly url: string;
  readonly calls: SlackCall[] = [];
  private readonly store: SlackStore;
  private readonly methods: Record<string, Handler>;
  private readonly workspace: Workspace;
  private readonly faults = new Map<string, Array<{ fault: SlackFault; when?: FaultMatch }>>();
  private readonly signals = new Signals();
  private readonly now: () => number;
  private readonly limits: SlackLimits | false;
  private inFlight = 0;
  /** Calls performed and left unanswered by a `hang` fault, whose caller is still there. */
  hanging = 0;
  /** What apps.connections.open answers (see startFakeSocket); undefined: Socket Mode is off. */
  socketUrl: string | undefined;
  /** What the X-OAuth-Scopes header says (see FakeSlackOptions.scopes). */
  private scopes: readonly string[] | false;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly options: FakeSlackOptions,
  ) {
    this.url = `${origin}/api/`;
    this.now = options.now ?? Date.now;
    this.scopes = options.scopes ?? Object.keys(MANIFEST_SCOPES);
    this.store = new SlackStore(this.now);
    this.limits = options.limits === false ? false : { ...DEFAULT_LIMITS, ...options.limits };
    this.workspace = {
      teamId: options.teamId ?? "T0FAKE",
      teamName: options.teamName ?? "Fake Team",
      teamDomain: options.teamDomain ?? "fake-team",
      botUserId: options.botUserId ?? "UBOT",
      botId: options.botId ?? "BBOT",
      botName: options.botName ?? "mcp-activity",
    };
    this.methods = slackMethods({
      ...this.workspace,
      store: this.store,
      now: this.now,
      limits: this.limits,
      uploadUrl: (fileId) => `${origin}/upload/${fileId}`,
      socketUrl: () => this.socketUrl,
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.inFlight++;
      this.route(req, res)
        .catch((error: unknown) => {
          sendJson(res, 500, fail("fake_internal_error", { detail: String(error) }));
        })
        .finally(() => {
          this.inFlight--;
          this.signals.notify();
        });
    });
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new FakeSlack(server, `http://127.0.0.1:${port}`, options);
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The channel's stored messages (thread replies included), oldest first, as snapshots. */
  messages(channel: string): FakeMessage[] {
    const id = /^[UW]/.test(channel) ? (this.store.ims.get(channel) ?? channel) : channel;
    return this.store.snapshot(id);
  }

  /** Seeds a message into history (e.g. a post made before a crash, or a human's message). */
  addMessage(channel: string, message: SeedMessage): string {
    const user = message.user ?? this.workspace.botUserId;
    return this.store.add(channel, {
      user,
      bot_id: user === this.workspace.botUserId ? this.workspace.botId : undefined,
      text: message.text ?? "",
      blocks: message.blocks,
      attachments: undefined,
      thread_ts: message.thread_ts,
      metadata: message.metadata,
      ...(message.ts !== undefined ? { ts: message.ts } : {}),
    }).ts;
  }

  get uploads(): readonly FakeUpload[] {
    return this.store.uploads;
  }

  get responses(): readonly FakeResponse[] {
    return this.store.responses;
  }

  /** A user's App Home as last published with views.publish (its blocks), and how often. */
  home(userId: string): { blocks: unknown[]; publishes: number } | undefined {
    const home = this.store.homes.get(userId);
    if (!home) return undefined;
    const blocks = Array.isArray(home.view.blocks) ? (home.view.blocks as unknown[]) : [];
    return { blocks: structuredClone(blocks), publishes: home.publishes };
  }

  get ephemerals(): readonly FakeEphemeral[] {
    return this.store.ephemerals;
  }

  /** The scopes the answers say the token has from now on (the app reinstalled); false: none said. */
  grantScopes(scopes: readonly string[] | false): void {
    this.scopes = scopes;
  }

  setMembers(channel: string, userIds: string[]): void {
    this.store.members.set(channel, [...userIds]);
  }

  /** What conversations.info says of a channel (by default private and not shared). */
  setChannel(id: string, info: FakeChannelInfo): void {
    this.store.channelInfo.set(id, { ...info });
  }

  setUsergroup(id: string, userIds: string[]): void {
    this.store.usergroups.set(id, [...userIds]);
  }

  addUser(user: FakeUser): void {
    this.store.users.set(user.id, { ...user });
  }

  /** The bot's DM channel with a user, as conversations.open answers it. */
  dmChannel(userId: string): string {
    return this.store.im(userId).id;
  }

  /**
   * Queues `times` copies of a fault for a method (or UPLOAD_ROUTE / RESPOND_ROUTE), FIFO; with
   * `when`, only for the calls it matches.
   */
  failNext(method: string, fault: SlackFault, times = 1, when?: FaultMatch): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push({ fault, ...(when ? { when } : {}) });
    this.faults.set(method, queue);
  }

  pendingFaults(method: string): number {
    return this.faults.get(method)?.length ?? 0;
  }

  /**
   * A response_url on the fake. With a target, `replace_original` / `delete_original` act on
   * the message `target.ts` and `response_type: "in_channel"` posts into `target.channel`.
   */
  responseUrl(id: string, target?: ResponseTarget): string {
    if (target) this.store.responseTargets.set(id, { ...target });
    return `${this.origin}/respond/${encodeURIComponent(id)}`;
  }

  /**
   * Slack reading a command's acknowledgement (its HTTP response): a body is shown like a reply to
   * the command's response URL `id`, and recorded so. An empty one shows nothing.
   */
  acknowledged(id: string, response: { status: number; text: string; contentType?: string }): void {
    if (response.status !== 200 || response.text === "") return;
    if (!response.contentType?.startsWith("application/json"))
      throw new Error(`fake Slack: the acknowledgement of ${id} is not sent as application/json`);
    receiveAcknowledgement(this.store, this.limits, this.now(), id, response.text);
    this.signals.notify();
  }

  /** Resolves once `check()` holds, re-checking after every request the fake handles. */
  waitFor(check: () => boolean, timeoutMs = 5000, what = "a condition"): Promise<void> {
    return this.signals.waitFor(check, timeoutMs, what);
  }

  /** Resolves once no request is being handled (a delayed call has been performed). */
  idle(timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.inFlight === 0, timeoutMs, "the fake to finish its requests");
  }

  async waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<SlackCall[]> {
    await this.waitFor(
      () => this.callsTo(method).length >= count,
      timeoutMs,
      `${count} call(s) to ${method}`,
    );
    return this.callsTo(method);
  }

  /** Forgets everything: calls, messages, people, members, groups, uploads, responses, faults. */
  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
    this.store.reset();
  }

  async close(): Promise<void> {
    this.signals.wakeAll();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** The first fault queued for `key` whose condition the call meets (none: any call). */
  private takeFault(key: string, params: Params = {}): SlackFault | undefined {
    const queue = this.faults.get(key) ?? [];
    const index = queue.findIndex((f) => f.when === undefined || f.when(params));
    return index < 0 ? undefined : queue.splice(index, 1)[0]?.fault;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", this.origin).pathname;
    const [, kind, rawId] = /^\/(api|upload|respond)\/([^/]+)$/.exec(path) ?? [];
    const id = decodeURIComponent(rawId ?? "");
    const body = await readBody(req);
    if (kind === "api" && (req.method === "POST" || req.method === "GET")) {
      const parsed = await parseBody(req.headers["content-type"], body);
      const query = formToParams(new URL(req.url ?? "/", this.origin).search);
      const { token, params } = takeToken(req.headers.authorization, {
        ...query,
        ...parsed.params,
      });
      const fault = this.takeFault(id, params);
      this.calls.push({ method: id, params, token, at: this.now(), ...(fault ? { fault } : {}) });
      // Slack says which scopes a token it takes has, whatever the answer.
      const known = this.options.token === undefined || token === this.options.token;
      if (this.scopes && known) res.setHeader("x-oauth-scopes", this.scopes.join(","));
      this.signals.notify();
      const perform = (): Reply => ({
        status: 200,
        json: parsed.invalid ? fail(parsed.invalid) : this.perform(id, params, token),
      });
      return this.answer(res, fault, true, perform);
    }
    if (kind === "upload" && req.method === "POST") {
      const fault = this.takeFault(UPLOAD_ROUTE);
      const type = req.headers["content-type"];
      return this.answer(res, fault, false, () => receiveUpload(this.store, id, type, body));
    }
    if (kind === "respond" && req.method === "POST") {
      const fault = this.takeFault(RESPOND_ROUTE);
      const type = req.headers["content-type"];
      const at = this.now();
      return this.answer(res, fault, false, () =>
        receiveResponse(this.store, this.workspace, this.limits, at, id, type, body),
      );
    }
    sendText(res, 404, "not_found");
  }

  private async answer(
    res: ServerResponse,
    fault: SlackFault | undefined,
    api: boolean,
    perform: () => Reply | Promise<Reply>,
  ): Promise<void> {
    if (fault && "delayMs" in fault) await this.signals.sleep(fault.delayMs);
    if (fault && "gatewayStatus" in fault) {
      sendText(res, fault.gatewayStatus, "gateway timeout");
      await this.signals.sleep(fault.performAfterMs);
      await perform();
      return;
    }
    if (fault && "raw" in fault) return sendText(res, fault.rawStatus ?? 200, fault.raw);
    if (fault && "status" in fault) {
      if (fault.status === 429 && "noRetryAfter" in fault)
        return sendJson(res, 429, fail("ratelimited"));
      if (fault.status === 429)
        return sendJson(res, 429, fail("ratelimited"), { "retry-after": String(fault.retryAfter) });
      return sendText(res, fault.status, "internal_error");
    }
    if (fault && "error" in fault)
      return api
        ? sendJson(res, 200, fail(fault.error, fault.fields))
        : sendText(res, 404, fault.error);
    const reply = await perform();
    this.signals.notify();
    if (fault && "hang" in fault) {
      this.hanging++;
      this.signals.notify();
      await new Promise<void>((resolve) => {
        res.once("close", () => resolve());
        void this.signals.sleep(60_000).then(resolve);
      });
      this.hanging--;
      res.socket?.destroy();
      return;
    }
    if (fault && "errorAfter" in fault) return sendJson(res, 200, fail(fault.errorAfter));
    if (fault && "drop" in fault) {
      res.socket?.destroy();
      return;
    }
    if (reply.json !== undefined) sendJson(res, reply.status, reply.json);
    else sendText(res, reply.status, reply.text ?? "");
  }

  private perform(method: string, params: Params, token: string | undefined): SlackResult {
    if (this.options.token !== undefined) {
      if (token === undefined) return fail("not_authed");
      if (token !== this.options.token) return fail("invalid_auth");
    }
    const handler = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    return handler ? handler(params) : fail("unknown_method", { req_method: method });
  }
}

export function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return FakeSlack.start(options);
}
