import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import { LookupCache } from "./lookup-cache.js";
import type { MissingScope } from "./scopes.js";

const EMAIL_SCOPE = "users:read.email";

/** How long an e-mail's Slack user is remembered (someone not in Slack too). */
const EMAIL_TTL_MS = 60 * 60_000;
/** How long a Slack user's profile is remembered: who they are, their e-mail, zone and standing. */
const USER_TTL_MS = 5 * 60_000;

/** What users.info says of a user that this app reads. */
export interface SlackUser {
  readonly id?: string;
  readonly team_id?: string;
  readonly tz?: string;
  readonly deleted?: boolean;
  readonly is_bot?: boolean;
  readonly is_app_user?: boolean;
  readonly is_restricted?: boolean;
  readonly is_ultra_restricted?: boolean;
  readonly is_email_confirmed?: boolean;
  readonly profile?: { readonly email?: string };
}

/** What this app reads of a user, kept alone: not the whole profile Slack returns. */
function read(user: SlackUser | undefined): SlackUser | undefined {
  if (!user) return undefined;
  const { id, team_id, tz, deleted, is_bot, is_app_user, is_restricted, is_ultra_restricted } =
    user;
  const { is_email_confirmed } = user;
  const email = user.profile?.email;
  return {
    id,
    team_id,
    tz,
    deleted,
    is_bot,
    is_app_user,
    is_restricted,
    is_ultra_restricted,
    is_email_confirmed,
    ...(email === undefined ? {} : { profile: { email } }),
  };
}

/** Why a Slack user's e-mail may not say who they are in Atlassian. */
export type NotOwner = "another-workspace" | "deactivated" | "bot" | "unconfirmed";

/**
 * Why this user's Slack e-mail may not say who they are in Atlassian, to show them their own
 * activity or ask them about it; null when it may: a person of this workspace (`team`). Another
 * company's member of a shared channel (whose profile that company controls) is named as such
 * before anything else: whether they are deactivated or a bot is that company's to say. An
 * unknown `team` (auth.test names it for every bot token) takes nobody for ours.
 */
function whyNotOwner(user: SlackUser, team: string | undefined): NotOwner | null {
  if (team === undefined || (user.team_id !== undefined && user.team_id !== team))
    return "another-workspace";
  if (user.deleted) return "deactivated";
  if (user.is_bot || user.is_app_user) return "bot";
  if (user.is_email_confirmed === false) return "unconfirmed";
  return null;
}

/** Whether this user's Slack e-mail may say who they are in Atlassian (see whyNotOwner). */
function ownsEmail(user: SlackUser | undefined, team: string | undefined): boolean {
  return user !== undefined && whyNotOwner(user, team) === null;
}

/** Why an e-mail's person cannot be reached in Slack: nobody has it, or see NotOwner. */
export type Unreachable = NotOwner | "absent";

/** The Slack user an e-mail says, or why none may be taken for its person. */
export type Reach = { readonly user: string } | { readonly not: Unreachable };

/**
 * Slack users, looked up through the Web API and cached: an Atlassian e-mail's Slack user id
 * (users.lookupByEmail, users:read.email, an hour), and a user's profile (users.info, five
 * minutes), which every question, click and responder check reads — so a burst of commands from
 * one person costs one look-up, not one each, and cannot spend the workspace's rate limit. Someone
 * Slack does not know is remembered as such for as long. While look-ups fail (a rate limit), the
 * last answer stays for an hour more; with none, the failure is thrown.
 */
export class SlackDirectory {
  private readonly ids: LookupCache<Reach>;
  private readonly users: LookupCache<SlackUser | undefined>;
  private me: { readonly team?: string; readonly user?: string } | undefined;

  constructor(
    private readonly o: {
      client: WebClient;
      clock: Clock;
      /** The scopes the app lacks, once Slack said (GrantedScopes). */
      lacking?: () => readonly MissingScope[] | undefined;
    },
  ) {
    const { clock } = o;
    this.ids = new LookupCache({
      clock,
      ttlMs: EMAIL_TTL_MS,
      notFound: "users_not_found",
      none: { not: "absent" },
    });
    this.users = new LookupCache({
      clock,
      ttlMs: USER_TTL_MS,
      notFound: "user_not_found",
      none: undefined,
    });
  }

  /** The Slack user this e-mail says, when it may say who they are (see ownsEmail); else null. */
  async userIdOf(email: string): Promise<string | null> {
    const reach = await this.reach(email);
    return "user" in reach ? reach.user : null;
  }

  /** The Slack user this e-mail says, or why they cannot be taken for its person (whyNotOwner). */
  reach(email: string): Promise<Reach> {
    const key = email.trim().toLowerCase();
    return this.ids.get(key, async () => {
      const user = read(
        (await this.o.client.users.lookupByEmail({ email: key })).user as SlackUser | undefined,
      );
      if (!user?.id) return { not: "absent" };
      const not = whyNotOwner(user, await this.team());
      return not ? { not } : { user: user.id };
    });
  }

  /** A Slack user's profile; undefined when Slack does not know them. */
  user(id: string): Promise<SlackUser | undefined> {
    return this.users.get(id, async () =>
      read((await this.o.client.users.info({ user: id })).user as SlackUser | undefined),
    );
  }

  /** A Slack user's e-mail, lower case; null when none is seen. */
  async emailOf(id: string): Promise<string | null> {
    return (await this.user(id))?.profile?.email?.trim().toLowerCase() || null;
  }

  /**
   * The e-mail a mention says, lower case, when it may say who they are in Atlassian: as for
   * oneself (ownsEmail), but a deactivated account's too (responders ask about people who left);
   * null otherwise: another company's member sets their own address, whatever it claims.
   * `withheld`: the scope the app lacks for Slack to give any e-mail.
   */
  async mentionedEmail(id: string): Promise<{ email: string | null; withheld?: string }> {
    const [user, team] = await Promise.all([this.user(id), this.team()]);
    if (!user || !ownsEmail({ ...user, deleted: false }, team)) return { email: null };
    const email = user.profile?.email?.trim().toLowerCase() || null;
    return { email, ...this.withheld(user) };
  }

  /** This workspace's id (auth.test), looked up once. */
  async team(): Promise<string | undefined> {
    return (await this.whoAmI()).team;
  }

  /** The bot's own user id (auth.test), looked up once. */
  async botUser(): Promise<string | undefined> {
    return (await this.whoAmI()).user;
  }

  private async whoAmI(): Promise<{ readonly team?: string; readonly user?: string }> {
    if (this.me) return this.me;
    const me = await this.o.client.auth.test();
    this.me = { team: me.team_id, user: me.user_id };
    return this.me;
  }

  /**
   * Who a Slack user is, for what they may see of themselves: their profile, and their e-mail
   * only when it may say who they are (see ownsEmail); null otherwise. `withheld`: the scope the
   * app lacks for Slack to give any e-mail.
   */
  async self(
    id: string,
  ): Promise<{ user: SlackUser | undefined; email: string | null; withheld?: string }> {
    const [user, team] = await Promise.all([this.user(id), this.team()]);
    const email = ownsEmail(user, team) ? user?.profile?.email?.trim().toLowerCase() || null : null;
    return { user, email, ...(user ? this.withheld(user) : {}) };
  }

  /** The scope the app lacks when Slack gave this profile without its e-mail for want of it. */
  private withheld(user: SlackUser): { withheld?: string } {
    // Without users:read.email Slack leaves every e-mail out: not the person's doing.
    const lacks = !user.profile?.email && this.o.lacking?.()?.some((m) => m.scope === EMAIL_SCOPE);
    return lacks ? { withheld: EMAIL_SCOPE } : {};
  }
}
