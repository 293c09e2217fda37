import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { SlackDirectory } from "./directory.js";
import {
  bugWords,
  classifySlackError,
  missingScopeWords,
  type SlackFailure,
  withAdvice,
} from "./failure.js";
import { STALE_MS } from "./lookup-cache.js";
import { failureAdvice } from "./outbox/stalled.js";
import { channelMembers } from "./responder-channel.js";
import { configuredStatus, goneAdvice, groupMembers } from "./responder-groups.js";
import { ineligible } from "./responder-standing.js";

const TTL_MS = 5 * 60_000;
/** After a look-up failed, the next is tried no sooner than this, however many ask meanwhile. */
const RETRY_MS = 30_000;

/**
 * Whether someone may act as a responder, and if not, what to tell them; `retryable`: it could
 * not be told now (a look-up failed).
 */
export type ResponderCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly retryable?: true };

/** Said to everyone, and in /healthz, when the alert channel's membership cannot be trusted. */
export const PUBLIC_CHANNEL =
  "none — the alert channel is public or shared: name responders with SLACK_RESPONDERS";

interface Membership {
  /** configured: SLACK_RESPONDERS; channel: members of a private channel; public: nobody. */
  readonly mode: "configured" | "channel" | "public";
  readonly members: ReadonlySet<string>;
  /** configured: the user groups Slack says are gone (by id, with the error code). */
  readonly gone: ReadonlyMap<string, string>;
}

const NONE_GONE: ReadonlyMap<string, string> = new Map();

/**
 * Who may handle alerts and ask about other people: the users and user groups of
 * SLACK_RESPONDERS, or by default the members of the alert channel — but only when
 * conversations.info says it is private and shared with no other company: anyone can join a
 * public channel. Guests, bots and apps, deactivated users and users of another workspace never
 * are. Looked up through the Web API and cached for five minutes, one look-up shared by everyone
 * asking at once; while refreshes fail the last answer stays for STALE_MS more (as the users'
 * profiles do), then, as with none, the answer is no (fail closed). The users SLACK_RESPONDERS
 * names need no look-up: they stay responders whatever the groups' look-ups do. A group Slack
 * says is gone (deleted, disabled) has no members: it is an answer, not a failure.
 */
export class Responders {
  private membership: Membership | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private said = "";
  private failure: string | undefined;
  /** The look-up's failure while it is a scope the app lacks (missing_scope). */
  private lasting: SlackFailure | undefined;
  /** Why users' profiles cannot be looked up, while it is a scope the app lacks (users:read). */
  private profiles: SlackFailure | undefined;
  /** The users SLACK_RESPONDERS names, apart from its groups. */
  private readonly named: ReadonlySet<string>;
  private readonly groups: readonly string[];

  constructor(
    private readonly o: {
      client: WebClient;
      /** Users' profiles, cached: whether one may be a responder. */
      directory: Pick<SlackDirectory, "user" | "team" | "botUser">;
      clock: Clock;
      logger: Logger;
      configured: readonly string[];
      channel: string;
    },
  ) {
    this.named = new Set(o.configured.filter((id) => !id.startsWith("S")));
    this.groups = o.configured.filter((id) => id.startsWith("S"));
  }

  /** Who they are, in mrkdwn, for refusals ("ask <@U1> or <!subteam^S2>"). */
  describe(): string {
    if (this.o.configured.length === 0) return `the members of <#${this.o.channel}>`;
    return this.o.configured
      .map((id) => (id.startsWith("S") ? `<!subteam^${id}>` : `<@${id}>`))
      .join(", ");
  }

  /** Who to notify when something needs a responder now: the configured ones, else @here. */
  mention(): string {
    return this.o.configured.length === 0 ? "<!here>" : this.describe();
  }

  /** Who the responders are now, for /healthz; with why nobody may act while profiles cannot be looked up. */
  status(): string {
    const said = this.membershipStatus();
    if (!this.profiles) return said;
    return `${said}; their Slack profiles could not be looked up (${withAdvice(this.profiles)}): nobody may handle alerts until they are`;
  }

  private membershipStatus(): string {
    const now = this.o.clock.now();
    const membership = this.trusted(now);
    const lookedUp = {
      ago: Math.floor((now - this.fetchedAt) / 60_000),
      left: Math.ceil((this.fetchedAt + TTL_MS + STALE_MS - now) / 60_000),
    };
    if (this.o.configured.length > 0)
      return configuredStatus({
        count: this.o.configured.length,
        named: this.named.size,
        gone: this.membership?.gone ?? NONE_GONE,
        failure: this.failure,
        lookedUp: membership && lookedUp,
      });
    if (!membership)
      return this.failure === undefined
        ? "not looked up yet"
        : `none for now — they could not be looked up (${this.failure}); nobody may handle alerts until they are`;
    const who =
      membership.mode === "public"
        ? PUBLIC_CHANNEL
        : `members of the private alert channel (${membership.members.size})`;
    if (this.failure === undefined) return who;
    return `${who}, as looked up ${lookedUp.ago} min ago: look-ups fail (${this.failure}); nobody may handle alerts in ${lookedUp.left} min unless one succeeds`;
  }

  /**
   * What the operator must fix about the responders (a group of SLACK_RESPONDERS Slack says is
   * gone, a scope their look-up lacks), if anything.
   */
  problem(): string | undefined {
    const gone = goneAdvice(this.membership?.gone ?? NONE_GONE);
    const lasting = this.lasting ?? this.profiles;
    if (!lasting) return gone;
    const what = this.lasting ? "the responders" : "the responders' Slack profiles";
    const said = `${what} could not be looked up (${withAdvice(lasting)})`;
    return gone === undefined ? said : `${gone}; ${said}`;
  }

  /** Looks them up now (at start: the log and /healthz say who they are from the first minute). */
  async refresh(): Promise<void> {
    await this.current();
  }

  /** Whether `userId` may act as a responder now, and what to tell them if not. */
  async check(userId: string): Promise<ResponderCheck> {
    const membership = await this.current();
    // Named in SLACK_RESPONDERS: their standing needs no look-up, so none failing refuses them
    // (it is still made when due, for the log and /healthz).
    if (this.named.has(userId)) return this.eligible(userId);
    if (!membership)
      return {
        ok: false,
        message: this.lasting
          ? `The responders cannot be looked up: ${missingScopeWords(this.lasting)}.`
          : "The responders cannot be looked up right now; try again in a minute.",
        retryable: true,
      };
    if (membership.mode === "public")
      return {
        ok: false,
        message:
          "Nobody may handle alerts yet: the alert channel is public or shared with another company, so its members cannot be trusted. The operator must name responders with SLACK_RESPONDERS.",
      };
    if (!membership.members.has(userId))
      return { ok: false, message: `Only responders can do this. Ask ${this.describe()}.` };
    return this.eligible(userId);
  }

  private async eligible(userId: string): Promise<ResponderCheck> {
    const why = await this.ineligible(userId);
    if (typeof why === "object") {
      const scope = missingScopeWords(why);
      return {
        ok: false,
        message: scope
          ? `I could not check who you are: ${scope}.`
          : "I could not check who you are right now; try again in a minute.",
        retryable: true,
      };
    }
    if (why !== undefined)
      return { ok: false, message: `Only responders can do this, and ${why} never are.` };
    return { ok: true };
  }

  private async current(): Promise<Membership | undefined> {
    const now = this.o.clock.now();
    const fresh = this.membership !== undefined && now - this.fetchedAt <= TTL_MS;
    if (!fresh && now - this.failedAt >= RETRY_MS) {
      this.refreshing ??= this.lookUp().finally(() => {
        this.refreshing = undefined;
      });
      await this.refreshing;
    }
    return this.trusted(this.o.clock.now());
  }

  /** The last membership looked up, while it may still be trusted. */
  private trusted(now: number): Membership | undefined {
    return now - this.fetchedAt <= TTL_MS + STALE_MS ? this.membership : undefined;
  }

  private async lookUp(): Promise<void> {
    try {
      const before = this.membership?.gone ?? NONE_GONE;
      this.membership = await this.fetch();
      this.fetchedAt = this.o.clock.now();
      this.failure = undefined;
      this.lasting = undefined;
      const newlyGone = [...this.membership.gone.keys()].filter((group) => !before.has(group));
      const line = this.status();
      if (line !== this.said) {
        this.said = line;
        if (this.membership.mode === "public") this.o.logger.warn(`responders: ${PUBLIC_CHANNEL}`);
        else if (newlyGone.length > 0)
          this.o.logger.error({ groups: newlyGone }, `responders: ${line}`);
        else this.o.logger.info(`responders: ${line}`);
      }
    } catch (error) {
      this.failedAt = this.o.clock.now();
      // Without SLACK_RESPONDERS the look-up is the alert channel's: its codes are setup problems.
      const failure = classifySlackError(error, this.o.configured.length === 0);
      this.lasting = failure.code === "missing_scope" ? failure : undefined;
      this.failure = this.lasting
        ? withAdvice(this.lasting)
        : ((error as { data?: { error?: string } }).data?.error ?? String(error).slice(0, 100));
      // What holds now: none trusted (none looked up lately), or the last known for minutes.
      const now = this.o.clock.now();
      const left = Math.ceil((this.fetchedAt + TTL_MS + STALE_MS - now) / 60_000);
      // The users SLACK_RESPONDERS names need no look-up: none failing refuses them.
      const stale = this.trusted(now) === undefined;
      const holds = !stale
        ? `the last known stay ${left} min more at most`
        : this.named.size > 0
          ? "the user groups' members are refused until it works (the users SLACK_RESPONDERS names are not)"
          : "buttons and commands that need one are refused until it works";
      const what = `could not ${stale ? "look the responders up" : "refresh the responders"}`;
      const bug = bugWords(error);
      if (bug) return this.o.logger.error({ err: error }, `${what}: ${bug}; ${holds}`);
      this.o.logger.warn(
        { code: failure.code, ...(failure.unreached ? { err: error } : {}) },
        `${what} ${failureAdvice(failure)}; ${holds}`,
      );
    }
  }

  /**
   * Why this user may never be a responder (their profile cached by the directory); undefined
   * when they may, Slack's failure when it cannot be told now (one that lasts said once).
   */
  private async ineligible(userId: string): Promise<string | undefined | SlackFailure> {
    try {
      const [user, team] = await Promise.all([
        this.o.directory.user(userId),
        this.o.directory.team(),
      ]);
      this.profiles = undefined;
      return ineligible(user, team);
    } catch (error) {
      const failure = classifySlackError(error);
      const lasting = failure.code === "missing_scope" ? withAdvice(failure) : undefined;
      const level = lasting && this.profiles?.code === failure.code ? "debug" : "warn";
      this.profiles = lasting ? failure : undefined;
      const said = `could not look a responder up${lasting ? ` (${lasting})` : ""}; refused`;
      this.o.logger[level]({ err: error, user: userId }, said);
      return failure;
    }
  }

  private async fetch(): Promise<Membership> {
    const { client, configured, channel } = this.o;
    if (configured.length > 0) {
      const groups = await groupMembers(client, this.groups);
      return { mode: "configured", ...groups };
    }
    const [members, bot] = await Promise.all([
      channelMembers(client, channel),
      this.o.directory.botUser(),
    ]);
    // The bot is a member of the channel it posts to, never a responder.
    return members === "public"
      ? { mode: "public", members: new Set(), gone: NONE_GONE }
      : {
          mode: "channel",
          members: new Set([...members].filter((id) => id !== bot)),
          gone: NONE_GONE,
        };
  }
}
