import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";

const TTL_MS = 5 * 60_000;

/**
 * Who may acknowledge alerts and query other people: the users and user groups of
 * SLACK_RESPONDERS, or by default the members of the alert channel. Looked up through the Web API
 * and cached for five minutes; when a refresh fails the last known list stays, and with none it
 * answers no (fail closed).
 */
export class Responders {
  private members: ReadonlySet<string> | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly o: {
      client: WebClient;
      clock: Clock;
      logger: Logger;
      configured: readonly string[];
      channel: string;
    },
  ) {}

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

  async includes(userId: string): Promise<boolean> {
    const now = this.o.clock.now();
    if (!this.members || now - this.fetchedAt > TTL_MS) {
      try {
        this.members = await this.fetch();
        this.fetchedAt = now;
      } catch (error) {
        this.o.logger.warn(
          { err: error },
          "could not refresh the responders list; using the last one known",
        );
      }
    }
    return this.members?.has(userId) ?? false;
  }

  private async fetch(): Promise<Set<string>> {
    const { client, configured, channel } = this.o;
    if (configured.length === 0) {
      const members = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await client.conversations.members({ channel, limit: 1000, cursor });
        for (const id of page.members ?? []) members.add(id);
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return members;
    }
    const members = new Set(configured.filter((id) => !id.startsWith("S")));
    for (const group of configured.filter((id) => id.startsWith("S"))) {
      const result = await client.usergroups.users.list({ usergroup: group });
      for (const id of result.users ?? []) members.add(id);
    }
    return members;
  }
}
