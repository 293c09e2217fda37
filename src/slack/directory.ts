import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import { LookupCache } from "./lookup-cache.js";

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
  readonly profile?: { readonly email?: string };
}

/** What this app reads of a user, kept alone: not the whole profile Slack returns. */
function read(user: SlackUser | undefined): SlackUser | undefined {
  if (!user) return undefined;
  const { id, team_id, tz, deleted, is_bot, is_app_user, is_restricted, is_ultra_restricted } =
    user;
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
    ...(email === undefined ? {} : { profile: { email } }),
  };
}

/**
 * Slack users, looked up through the Web API and cached: an Atlassian e-mail's Slack user id
 * (users.lookupByEmail, users:read.email, an hour), and a user's profile (users.info, five
 * minutes), which every question, click and responder check reads — so a burst of commands from
 * one person costs one look-up, not one each, and cannot spend the workspace's rate limit. Someone
 * Slack does not know is remembered as such for as long. While look-ups fail (a rate limit), the
 * last answer stays for an hour more; with none, the failure is thrown.
 */
export class SlackDirectory {
  private readonly ids: LookupCache<string | null>;
  private readonly users: LookupCache<SlackUser | undefined>;

  constructor(private readonly o: { client: WebClient; clock: Clock }) {
    const { clock } = o;
    this.ids = new LookupCache({
      clock,
      ttlMs: EMAIL_TTL_MS,
      notFound: "users_not_found",
      none: null,
    });
    this.users = new LookupCache({
      clock,
      ttlMs: USER_TTL_MS,
      notFound: "user_not_found",
      none: undefined,
    });
  }

  async userIdOf(email: string): Promise<string | null> {
    const key = email.trim().toLowerCase();
    return this.ids.get(key, async () => {
      const { user } = await this.o.client.users.lookupByEmail({ email: key });
      return user?.deleted ? null : (user?.id ?? null);
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
}
