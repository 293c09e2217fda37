import {
  decodeCursor,
  encodeCursor,
  fail,
  flag,
  int,
  type Params,
  type SlackResult,
  str,
} from "./slack-http.js";
import { blockErrors, checkContent, type SlackLimits } from "./slack-limits.js";
import {
  type SlackMetadata,
  type SlackStore,
  type StoredMessage,
  tsToMicros,
} from "./slack-store.js";
import { userObject } from "./slack-users.js";

export interface Workspace {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  botName: string;
}

export interface MethodContext extends Workspace {
  store: SlackStore;
  now: () => number;
  limits: SlackLimits | false;
  uploadUrl(fileId: string): string;
  /** Where apps.connections.open sends a Socket Mode client (none: Socket Mode is off). */
  socketUrl(): string | undefined;
}

export type Handler = (params: Params) => SlackResult;

/** A stored message the way the Web API shows it. */
function apiMessage(
  m: StoredMessage,
  ctx: Workspace,
  withMetadata: boolean,
  replyCount = 0,
): Record<string, unknown> {
  return {
    type: "message",
    user: m.user,
    ...(m.bot_id ? { bot_id: m.bot_id, app_id: "AFAKEAPP" } : {}),
    text: m.text,
    ts: m.ts,
    team: ctx.teamId,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.thread_ts || replyCount > 0 ? { thread_ts: m.thread_ts ?? m.ts } : {}),
    ...(replyCount > 0 ? { reply_count: replyCount } : {}),
    ...(m.edited ? { edited: { user: m.user, ts: m.edited } } : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    ...(m.files ? { files: m.files, upload: true } : {}),
  };
}

function arrayOf(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function inRange(ts: string, oldest: bigint, latest: bigint, inclusive: boolean): boolean {
  const t = tsToMicros(ts) ?? 0n;
  return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
}

export function slackMethods(ctx: MethodContext): Record<string, Handler> {
  const { store } = ctx;
  const replies = (channel: string, ts: string) =>
    store.list(channel).filter((m) => m.thread_ts === ts && m.ts !== ts);

  return {
    "auth.test": () => ({
      ok: true,
      url: `https://${ctx.teamDomain}.slack.com/`,
      team: ctx.teamName,
      user: ctx.botName,
      team_id: ctx.teamId,
      user_id: ctx.botUserId,
      bot_id: ctx.botId,
      is_enterprise_install: false,
    }),

    "apps.connections.open": () => {
      const url = ctx.socketUrl();
      return url ? { ok: true, url } : fail("not_allowed_token_type");
    },

    "chat.postMessage": (p) => {
      const channel = str(p.channel);
      if (!channel) return fail("channel_not_found");
      const invalid = checkContent(p, ctx.limits, true);
      if (invalid) return invalid;
      const id = store.resolveChannel(channel);
      const message = store.add(id, {
        user: ctx.botUserId,
        bot_id: ctx.botId,
        text: str(p.text) ?? "",
        blocks: arrayOf(p.blocks),
        attachments: arrayOf(p.attachments),
        thread_ts: str(p.thread_ts) || undefined,
        metadata: p.metadata as SlackMetadata | undefined,
      });
      return { ok: true, channel: id, ts: message.ts, message: apiMessage(message, ctx, true) };
    },

    "chat.update": (p) => {
      const channel = store.resolveChannel(str(p.channel) ?? "");
      if (!channel) return fail("channel_not_found");
      const message = store.find(channel, str(p.ts) ?? "");
      if (!message) return fail("message_not_found");
      if (message.bot_id !== ctx.botId) return fail("cant_update_message");
      const invalid = checkContent(p, ctx.limits, false);
      if (invalid) return invalid;
      if (p.text !== undefined) message.text = str(p.text) ?? "";
      if (p.blocks !== undefined) message.blocks = arrayOf(p.blocks);
      if (p.attachments !== undefined) message.attachments = arrayOf(p.attachments);
      if (p.metadata !== undefined) message.metadata = p.metadata as SlackMetadata;
      message.updates += 1;
      message.edited = store.nextTs();
      return {
        ok: true,
        channel,
        ts: message.ts,
        text: message.text,
        message: apiMessage(message, ctx, true),
      };
    },

    "chat.delete": (p) => {
      const channel = store.resolveChannel(str(p.channel) ?? "");
      const message = store.find(channel, str(p.ts) ?? "");
      if (!message) return fail("message_not_found");
      if (message.bot_id !== ctx.botId) return fail("cant_delete_message");
      store.remove(channel, message.ts);
      return { ok: true, channel, ts: message.ts };
    },

    "chat.postEphemeral": (p) => {
      const channel = str(p.channel);
      const user = str(p.user);
      if (!channel) return fail("channel_not_found");
      if (!user) return fail("user_not_found");
      const invalid = checkContent(p, ctx.limits, true);
      if (invalid) return invalid;
      const members = store.members.get(channel);
      if (members && !members.includes(user)) return fail("user_not_in_channel");
      const message_ts = store.nextTs();
      store.ephemerals.push({
        channel,
        user,
        text: str(p.text) ?? "",
        blocks: arrayOf(p.blocks),
        message_ts,
      });
      return { ok: true, message_ts };
    },

    "views.publish": (p) => {
      const user = str(p.user_id);
      if (!user) return fail("invalid_arguments");
      const view = p.view;
      if (typeof view !== "object" || view === null || Array.isArray(view))
        return fail("invalid_arguments");
      const v = view as Record<string, unknown>;
      if (v.type !== "home") return fail("invalid_arguments", { detail: "view.type must be home" });
      const blocks = arrayOf(v.blocks);
      if (!blocks) return fail("invalid_arguments", { detail: "view.blocks must be an array" });
      const errors = ctx.limits ? blockErrors(blocks, 100) : [];
      if (errors.length > 0)
        return fail("invalid_arguments", { response_metadata: { messages: errors } });
      const before = store.homes.get(user);
      store.homes.set(user, { view: v, publishes: (before?.publishes ?? 0) + 1 });
      return { ok: true, view: { id: `V${user}`, type: "home", blocks } };
    },

    "conversations.history": (p) => {
      const channel = str(p.channel);
      if (!channel) return fail("channel_not_found");
      const limit = int(p.limit, 100, 1, 999);
      const oldest = tsToMicros(str(p.oldest) ?? "0") ?? 0n;
      const cursor = str(p.cursor) ? decodeCursor(str(p.cursor) ?? "", "before") : undefined;
      if (str(p.cursor) && cursor === undefined) return fail("invalid_cursor");
      const inclusive = flag(p.inclusive);
      let latest = str(p.latest) ? (tsToMicros(str(p.latest) ?? "") ?? 0n) : 2n ** 62n;
      if (cursor !== undefined) latest = tsToMicros(cursor) ?? 0n;
      const top = store
        .list(channel)
        .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
        .filter((m) => inRange(m.ts, oldest, latest, inclusive && cursor === undefined))
        .reverse();
      const page = top.slice(0, limit);
      const last = page[page.length - 1];
      const hasMore = top.length > limit && last !== undefined;
      const withMetadata = flag(p.include_all_metadata);
      return {
        ok: true,
        messages: page.map((m) => apiMessage(m, ctx, withMetadata, replies(channel, m.ts).length)),
        has_more: hasMore,
        pin_count: 0,
        response_metadata: { next_cursor: hasMore ? encodeCursor("before", last.ts) : "" },
      };
    },

    "conversations.replies": (p) => {
      const channel = str(p.channel) ?? "";
      const parent = store.find(channel, str(p.ts) ?? "");
      if (!parent) return fail("thread_not_found");
      const thread = [parent, ...replies(channel, parent.ts)];
      const withMetadata = flag(p.include_all_metadata);
      return {
        ok: true,
        messages: thread
          .slice(0, int(p.limit, 1000, 1, 1000))
          .map((m) => apiMessage(m, ctx, withMetadata)),
        has_more: false,
        response_metadata: { next_cursor: "" },
      };
    },

    "conversations.info": (p) => {
      const id = str(p.channel) ?? "";
      if (!/^[CGD]/.test(id)) return fail("channel_not_found");
      const info = store.channelInfo.get(id) ?? { is_private: true };
      return {
        ok: true,
        channel: {
          id,
          is_channel: !info.is_private,
          is_group: info.is_private,
          is_private: info.is_private,
          is_shared: info.is_shared ?? false,
          is_ext_shared: info.is_ext_shared ?? false,
          is_org_shared: info.is_org_shared ?? false,
          is_member: info.is_member ?? true,
          is_archived: info.is_archived ?? false,
        },
      };
    },

    "conversations.members": (p) => {
      const members = store.members.get(str(p.channel) ?? "");
      if (!members) return fail("channel_not_found");
      const limit = int(p.limit, 100, 1, 1000);
      const cursor = str(p.cursor);
      const start = cursor ? Number(decodeCursor(cursor, "offset")) : 0;
      if (!Number.isInteger(start) || start < 0) return fail("invalid_cursor");
      const end = start + limit;
      return {
        ok: true,
        members: members.slice(start, end),
        response_metadata: { next_cursor: end < members.length ? encodeCursor("offset", end) : "" },
      };
    },

    "conversations.open": (p) => {
      const users = (str(p.users) ?? "")
        .split(",")
        .map((u) => u.trim())
        .filter((u) => u !== "");
      const only = users[0];
      if (only === undefined) return fail("users_list_not_supplied");
      const opened =
        users.length === 1 ? store.im(only) : store.im(["mpim", ...users].sort().join(","));
      const id = users.length === 1 ? opened.id : `G${opened.id.slice(1)}`;
      return {
        ok: true,
        ...(opened.existed ? { no_op: true, already_open: true } : {}),
        channel: { id },
      };
    },

    "usergroups.users.list": (p) => {
      const users = store.usergroups.get(str(p.usergroup) ?? "");
      return users ? { ok: true, users: [...users] } : fail("no_such_subteam");
    },

    "users.info": (p) => {
      const user = store.users.get(str(p.user) ?? "");
      return user
        ? { ok: true, user: userObject(user, ctx.teamId, ctx.now()) }
        : fail("user_not_found");
    },

    "users.lookupByEmail": (p) => {
      const user = store.userByEmail(str(p.email) ?? "");
      return user
        ? { ok: true, user: userObject(user, ctx.teamId, ctx.now()) }
        : fail("users_not_found");
    },

    "files.getUploadURLExternal": (p) => {
      const filename = str(p.filename);
      const length = Number(str(p.length));
      if (!filename || !Number.isInteger(length) || length < 0) return fail("invalid_arguments");
      const fileId = store.nextId("F");
      store.pendingUploads.set(fileId, { filename, length });
      return { ok: true, upload_url: ctx.uploadUrl(fileId), file_id: fileId };
    },

    "files.completeUploadExternal": (p) => {
      const files = arrayOf(p.files);
      if (!files || files.length === 0) return fail("invalid_arguments");
      const done = [];
      for (const file of files) {
        const id = str((file as { id?: unknown }).id);
        const upload = store.uploads.find((u) => u.file_id === id && !u.completed);
        if (!upload) return fail("file_not_found");
        const title = str((file as { title?: unknown }).title) ?? upload.filename;
        done.push({ upload, title });
      }
      const shared = done.map(({ upload, title }) => {
        Object.assign(upload, {
          completed: true,
          title,
          channel_id: str(p.channel_id),
          initial_comment: str(p.initial_comment),
          thread_ts: str(p.thread_ts),
        });
        return { id: upload.file_id, title, name: upload.filename, size: upload.length };
      });
      // Shared into a channel, the files appear there as a message of the bot's user.
      const channel = str(p.channel_id);
      if (channel)
        store.add(channel, {
          user: ctx.botUserId,
          bot_id: undefined,
          text: str(p.initial_comment) ?? "",
          blocks: undefined,
          attachments: undefined,
          thread_ts: str(p.thread_ts) || undefined,
          metadata: undefined,
          files: shared,
        });
      return { ok: true, files: shared };
    },
  };
}
