import { apiMessage, conversationMethods } from "./slack-conversations.js";
import { fail, type Params, type SlackResult, str } from "./slack-http.js";
import { blockErrors, checkContent, type SlackLimits } from "./slack-limits.js";
import type { SlackMetadata, SlackStore } from "./slack-store.js";
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

function arrayOf(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function slackMethods(ctx: MethodContext): Record<string, Handler> {
  const { store } = ctx;
  return {
    ...conversationMethods(ctx),
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
