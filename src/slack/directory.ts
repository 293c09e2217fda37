import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import { classifySlackError } from "./failure.js";

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

/** Drops what was looked up before `since`, once the cache holds many: it never grows unbounded. */
function forgetOld(cache: Map<string, { at: number }>, since: number): void {
  if (cache.size < 1_000) return;
  for (const [key, entry] of cache) if (entry.at < since) cache.delete(key);
}

/**
 * Slack users, looked up through the Web API and cached: an Atlassian e-mail's Slack user id
 * (users.lookupByEmail, users:read.email, an hour), and a user's profile (users.info, five
 * minutes), which every question, click and responder check reads — so a burst of commands from
 * one person costs one look-up, not one each, and cannot spend the workspace's rate limit. Someone
 * Slack does not know is remembered as such for as long. Other failures are thrown.
 */
export class SlackDirectory {
  private readonly ids = new Map<string, { id: string | null; at: number }>();
  private readonly users = new Map<string, { user: SlackUser | undefined; at: number }>();

  constructor(private readonly o: { client: WebClient; clock: Clock }) {}

  async userIdOf(email: string): Promise<string | null> {
    const key = email.trim().toLowerCase();
    const now = this.o.clock.now();
    const known = this.ids.get(key);
    if (known && now - known.at < EMAIL_TTL_MS) return known.id;
    let id: string | null;
    try {
      const result = await this.o.client.users.lookupByEmail({ email: key });
      id = result.user?.deleted ? null : (result.user?.id ?? null);
    } catch (error) {
      if (classifySlackError(error).code !== "users_not_found") throw error;
      id = null;
    }
    forgetOld(this.ids, now - EMAIL_TTL_MS);
    this.ids.set(key, { id, at: now });
    return id;
  }

  /** A Slack user's profile; undefined when Slack does not know them. */
  async user(id: string): Promise<SlackUser | undefined> {
    const now = this.o.clock.now();
    const known = this.users.get(id);
    if (known && now - known.at < USER_TTL_MS) return known.user;
    let user: SlackUser | undefined;
    try {
      user = read((await this.o.client.users.info({ user: id })).user as SlackUser | undefined);
    } catch (error) {
      if (classifySlackError(error).code !== "user_not_found") throw error;
      user = undefined;
    }
    forgetOld(this.users, now - USER_TTL_MS);
    this.users.set(id, { user, at: now });
    return user;
  }

  /** A Slack user's e-mail, lower case; null when none is seen. */
  async emailOf(id: string): Promise<string | null> {
    return (await this.user(id))?.profile?.email?.trim().toLowerCase() || null;
  }
}
