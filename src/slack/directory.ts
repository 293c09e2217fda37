import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import { classifySlackError } from "./failure.js";

const TTL_MS = 60 * 60_000;

/**
 * Atlassian e-mail → Slack user id, through users.lookupByEmail (users:read.email), and a Slack
 * user's e-mail, through users.info; each cached for an hour, someone not in Slack remembered as
 * such for as long. Other failures are thrown.
 */
export class SlackDirectory {
  private readonly cache = new Map<string, { id: string | null; at: number }>();
  private readonly emails = new Map<string, { email: string | null; at: number }>();

  constructor(private readonly o: { client: WebClient; clock: Clock }) {}

  async userIdOf(email: string): Promise<string | null> {
    const key = email.trim().toLowerCase();
    const now = this.o.clock.now();
    const known = this.cache.get(key);
    if (known && now - known.at < TTL_MS) return known.id;
    let id: string | null;
    try {
      const result = await this.o.client.users.lookupByEmail({ email: key });
      id = result.user?.deleted ? null : (result.user?.id ?? null);
    } catch (error) {
      if (classifySlackError(error).code !== "users_not_found") throw error;
      id = null;
    }
    this.cache.set(key, { id, at: now });
    return id;
  }

  /** A Slack user's e-mail (users.info, lower case), cached for an hour; null when none is seen. */
  async emailOf(user: string): Promise<string | null> {
    const now = this.o.clock.now();
    const known = this.emails.get(user);
    if (known && now - known.at < TTL_MS) return known.email;
    const result = await this.o.client.users.info({ user });
    const email = result.user?.profile?.email?.trim().toLowerCase() || null;
    this.emails.set(user, { email, at: now });
    return email;
  }
}
