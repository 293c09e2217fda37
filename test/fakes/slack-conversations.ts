import { decodeCursor, encodeCursor, fail, flag, int, str } from "./slack-http.js";
import type { Handler, MethodContext, Workspace } from "./slack-methods.js";
import { type StoredMessage, tsToMicros } from "./slack-store.js";

/** A stored message the way the Web API shows it. */
export function apiMessage(
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

function inRange(ts: string, oldest: bigint, latest: bigint, inclusive: boolean): boolean {
  const t = tsToMicros(ts) ?? 0n;
  return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
}

/** A `limit` as Slack takes it on paginated reads: "under 1000"; none given, the default. */
function pageLimit(value: unknown, fallback: number): number | undefined {
  const asked = int(value, 0, 1, Number.MAX_SAFE_INTEGER);
  if (asked > 999) return undefined;
  return asked || fallback;
}

/** The conversations.* methods: reads of channels, threads and members, and opening DMs. */
export function conversationMethods(ctx: MethodContext): Record<string, Handler> {
  const { store } = ctx;
  const replies = (channel: string, ts: string) =>
    store.list(channel).filter((m) => m.thread_ts === ts && m.ts !== ts);
  return {
    "conversations.history": (p) => {
      const channel = str(p.channel);
      if (!channel) return fail("channel_not_found");
      const limit = pageLimit(p.limit, 100);
      if (limit === undefined) return fail("invalid_limit");
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
      const limit = pageLimit(p.limit, 1000);
      if (limit === undefined) return fail("invalid_limit");
      const thread = [parent, ...replies(channel, parent.ts)];
      const withMetadata = flag(p.include_all_metadata);
      return {
        ok: true,
        messages: thread.slice(0, limit).map((m) => apiMessage(m, ctx, withMetadata)),
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
      const limit = pageLimit(p.limit, 100);
      if (limit === undefined) return fail("invalid_limit");
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
  };
}
