/** State of the fake Slack workspace: messages, people, channels' members, uploads, responses. */

export interface SlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message as the fake stores it. */
export interface StoredMessage {
  ts: string;
  user: string;
  /** Set for messages posted by a bot (the app's own posts). */
  bot_id: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  thread_ts: string | undefined;
  metadata: SlackMetadata | undefined;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: Array<{ id: string; title: string; name: string; size: number }>;
  /** How many times chat.update (or a replace_original response) changed it. */
  updates: number;
  /** ts of the last edit. */
  edited: string | undefined;
}

/** What `fake.messages(channel)` returns: a snapshot, oldest first. */
export interface FakeMessage {
  ts: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  thread_ts: string | undefined;
  metadata: SlackMetadata | undefined;
  files?: Array<{ id: string; title: string; name: string; size: number }>;
  updates: number;
}

export interface FakeUser {
  id: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  /** IANA zone; "UTC" when not given. */
  tz?: string;
  is_bot?: boolean;
  is_app_user?: boolean;
  /** A guest (multi-channel, or single-channel for ultra). */
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  deleted?: boolean;
  /** Another workspace's user (Slack Connect); the fake's own team by default. */
  team_id?: string;
  /** false: an address its owner never confirmed; confirmed by default. */
  is_email_confirmed?: boolean;
}

/** What conversations.info says of a channel's visibility, and whether the bot is in it. */
export interface FakeChannelInfo {
  is_private: boolean;
  /** Default true. */
  is_member?: boolean;
  is_archived?: boolean;
  is_shared?: boolean;
  is_ext_shared?: boolean;
  is_org_shared?: boolean;
}

/** A file whose bytes reached the upload URL; completion fields are filled by completeUploadExternal. */
export interface FakeUpload {
  file_id: string;
  filename: string;
  bytes: Buffer;
  length: number;
  /** `length` as announced to files.getUploadURLExternal. */
  declared_length: number;
  completed: boolean;
  title?: string;
  channel_id?: string;
  initial_comment?: string;
  thread_ts?: string;
}

export interface FakeResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
  /** Posted to the response URL, or given in the command's acknowledgement. */
  via: "response_url" | "ack";
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  message_ts: string;
}

/** Where a response_url's `replace_original` / `delete_original` / `in_channel` lands. */
export interface ResponseTarget {
  channel: string;
  ts?: string;
}

/** Slack timestamps as microseconds, so they compare exactly. */
export function tsToMicros(ts: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(ts.trim());
  if (!m) return undefined;
  const frac = (m[2] ?? "").slice(0, 6).padEnd(6, "0");
  return BigInt(m[1] ?? "0") * 1_000_000n + BigInt(frac);
}

function microsToTs(micros: bigint): string {
  return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, "0")}`;
}

export class SlackStore {
  readonly channels = new Map<string, StoredMessage[]>();
  readonly users = new Map<string, FakeUser>();
  readonly members = new Map<string, string[]>();
  readonly usergroups = new Map<string, string[]>();
  /** Channels' visibility; a channel not set here is private and shared with nobody. */
  readonly channelInfo = new Map<string, FakeChannelInfo>();
  readonly ims = new Map<string, string>();
  readonly pendingUploads = new Map<string, { filename: string; length: number }>();
  readonly uploads: FakeUpload[] = [];
  readonly responses: FakeResponse[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly responseTargets = new Map<string, ResponseTarget>();
  /** Each user's App Home as last published, and how many times it was. */
  readonly homes = new Map<string, { view: Record<string, unknown>; publishes: number }>();
  private lastTs = 0n;
  private counter = 0;

  constructor(private readonly now: () => number) {}

  reset(): void {
    for (const map of [
      this.channels,
      this.users,
      this.members,
      this.usergroups,
      this.channelInfo,
      this.ims,
      this.pendingUploads,
      this.responseTargets,
      this.homes,
    ])
      map.clear();
    for (const list of [this.uploads, this.responses, this.ephemerals]) list.length = 0;
  }

  /** A new ts: the clock's time in microseconds, bumped so that ts always increase. */
  nextTs(): string {
    const clock = BigInt(Math.floor(this.now())) * 1000n;
    this.lastTs = clock > this.lastTs ? clock : this.lastTs + 1n;
    return microsToTs(this.lastTs);
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}0FAKE${String(this.counter).padStart(4, "0")}`;
  }

  /** The DM channel between the bot and a user (created on first use, then stable). */
  im(userId: string): { id: string; existed: boolean } {
    const known = this.ims.get(userId);
    if (known) return { id: known, existed: true };
    const id = this.nextId("D");
    this.ims.set(userId, id);
    return { id, existed: false };
  }

  /** Posting to a user ID posts into the bot's DM with that user, as Slack does. */
  resolveChannel(channel: string): string {
    return /^[UW][A-Z0-9]+$/.test(channel) ? this.im(channel).id : channel;
  }

  list(channel: string): StoredMessage[] {
    return this.channels.get(channel) ?? [];
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.list(channel).find((m) => m.ts === ts);
  }

  add(
    channel: string,
    message: Omit<StoredMessage, "ts" | "updates" | "edited"> & { ts?: string },
  ): StoredMessage {
    const stored: StoredMessage = {
      ...message,
      ts: message.ts ?? this.nextTs(),
      updates: 0,
      edited: undefined,
    };
    const list = this.channels.get(channel) ?? [];
    list.push(stored);
    list.sort((a, b) => Number((tsToMicros(a.ts) ?? 0n) - (tsToMicros(b.ts) ?? 0n)));
    this.channels.set(channel, list);
    return stored;
  }

  remove(channel: string, ts: string): boolean {
    const list = this.list(channel);
    const index = list.findIndex((m) => m.ts === ts);
    if (index >= 0) list.splice(index, 1);
    return index >= 0;
  }

  snapshot(channel: string): FakeMessage[] {
    return this.list(channel).map((m) =>
      structuredClone({
        ts: m.ts,
        user: m.user,
        text: m.text,
        blocks: m.blocks,
        attachments: m.attachments,
        thread_ts: m.thread_ts,
        metadata: m.metadata,
        ...(m.files ? { files: m.files } : {}),
        updates: m.updates,
      }),
    );
  }

  userByEmail(email: string): FakeUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const user of this.users.values()) if (user.email?.toLowerCase() === wanted) return user;
    return undefined;
  }
}
