import type { AtlassianClient } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { EventActionStore } from "../store/event-actions.js";
import { buildCatalog, isMcpAction, type McpCatalog, mcpActionKeys } from "./classify.js";
import type { ToolCatalogue } from "./tools.js";

export interface ActionCatalogueOptions {
  readonly orgId: string;
  readonly client: AtlassianClient;
  readonly actions: EventActionStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly extraMcpKeys: readonly string[];
  readonly tools: ToolCatalogue;
  /** How often the catalogue is fetched again. */
  readonly refreshMs: number;
  /** After a failed fetch the stored one is used, and fetching is tried again in ten polls. */
  readonly intervalMs: number;
}

/**
 * The organization's action catalogue (`/event-actions`) and which of its actions are MCP calls:
 * fetched at start and daily, kept in the store for when the API is away. A rejected key is not
 * hidden behind the stored catalogue: it fails the poll.
 */
export class ActionCatalogue {
  private catalog: McpCatalog | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: ActionCatalogueOptions) {}

  /** The MCP action keys known now (none before the first poll). */
  keys(): string[] {
    return this.catalog ? mcpActionKeys(this.catalog) : [];
  }

  async current(signal?: AbortSignal): Promise<McpCatalog> {
    const { o } = this;
    const { orgId } = o;
    const now = o.clock.now();
    if (this.catalog && now - this.fetchedAt < o.refreshMs) return this.catalog;
    try {
      const fetched = await o.client.eventActions(signal);
      o.actions.replace(orgId, fetched, isMcpAction, now);
      this.fetchedAt = now;
    } catch (error) {
      if (error instanceof AtlassianError && error.kind === "auth") throw error;
      o.log.warn(
        { err: error },
        "could not fetch the action catalogue (/event-actions); using the stored one",
      );
      this.fetchedAt = now - o.refreshMs + o.intervalMs * 10;
    }
    const before = this.catalog ? this.keys().join(",") : undefined;
    this.catalog = buildCatalog(o.actions.all(orgId), o.extraMcpKeys, o.tools);
    const keys = this.keys();
    if (keys.join(",") !== before) {
      if (keys.length === 0) {
        o.log.warn(
          "no MCP action found in /event-actions: events whose text mentions MCP are still kept, marked as guessed; check that the audit log includes Rovo MCP User Actions",
        );
      } else {
        o.log.info({ mcpActionKeys: keys }, `MCP actions: ${keys.join(", ")}`);
      }
    }
    return this.catalog;
  }
}
