import type { AtlassianClient } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";
import type { EventActions } from "../atlassian/event-actions.js";
import type { Clock } from "../clock.js";
import { at } from "../domain/audit-fields.js";
import type { ActionInfo } from "../domain/event.js";
import type { Logger } from "../logger.js";
import { fromStore } from "../store/errors.js";
import type { Repositories } from "../store/repositories.js";
import { HOUR, MINUTE } from "../time-units.js";
import { buildCatalog, isMcpAction, type McpCatalog, mcpActionKeys } from "./classify.js";
import { type ClassifyAgainStores, recordKeysAgain } from "./new-mcp-keys.js";
import type { ToolCatalogue } from "./tools.js";

/** The least time between two fetches for actions the catalogue lacks: each is a full read. */
const SPACING_MS = MINUTE;
/** How long after the last read of the catalogue the actions it lacked are looked for again. */
const MISSING_RECHECK_MS = HOUR;

export interface ActionCatalogueOptions {
  readonly orgId: string;
  readonly client: AtlassianClient;
  readonly stores: ClassifyAgainStores & Pick<Repositories, "eventActions" | "writeTransaction">;
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
 * fetched at start and daily, and again when the stream holds an action it lacks; kept in the
 * store for when the API is away. A fetch that lists an action as MCP newly records, with the
 * catalogue, that the events stored under it are to be classified again (classifyAgainPass does
 * it, a chunk at a time); one that answers no action at all is a failed fetch. A database that cannot keep what was fetched (a full disk) is
 * not hidden behind the stored catalogue: it fails the poll, which says why. A key the catalogue
 * refuses (401, 403) is only warned of, once: reading the log does not need the catalogue, and the
 * stream's own answer says whether the key is rejected.
 */
export class ActionCatalogue {
  private catalog: McpCatalog | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private triedAt = Number.NEGATIVE_INFINITY;
  /** When the catalogue was last read whole: it said which actions it lacks. */
  private readAt = Number.NEGATIVE_INFINITY;
  /** Keys a fetch showed missing: all looked for again MISSING_RECHECK_MS after the last read. */
  private readonly missing = new Set<string>();
  /** The catalogue refused the key, and that was said. */
  private refused = false;
  /**
   * A catalogue fetched that the database could not keep (a lock, a full disk), and when: the next
   * try stores it rather than reading it again, a full paged read, while it is not due a refresh.
   */
  private unstored: { readonly actions: EventActions; readonly at: number } | undefined;
  /** `keys()` of the catalogue last built. */
  private keysOf: { readonly catalog: McpCatalog; readonly keys: readonly string[] } | undefined;

  constructor(private readonly o: ActionCatalogueOptions) {}

  /**
   * The MCP action keys known now (none before the first poll): worked out once per catalogue
   * built, since /healthz, /metrics and `status` read them on every request.
   */
  keys(): readonly string[] {
    const { catalog } = this;
    if (!catalog) return [];
    if (this.keysOf?.catalog !== catalog) this.keysOf = { catalog, keys: mcpActionKeys(catalog) };
    return this.keysOf.keys;
  }

  async current(signal?: AbortSignal): Promise<McpCatalog> {
    const { o } = this;
    const now = o.clock.now();
    if (this.catalog && now - this.fetchedAt < o.refreshMs) return this.catalog;
    try {
      this.fetchedAt = await this.fetch(now, signal);
    } catch (error) {
      if (fromStore(error) || signal?.aborted) throw error;
      if (error instanceof AtlassianError && error.kind === "auth") this.refusedBy(error, now);
      else {
        o.log.warn(
          { err: error },
          "could not fetch the action catalogue (/event-actions); using the stored one",
        );
        this.fetchedAt = now - o.refreshMs + o.intervalMs * 10;
      }
    }
    return this.rebuild();
  }

  /**
   * The catalogue to read stream items with: fetched again first when one holds an action key it
   * lacks and never looked for, or one it looked for and lacked when the last read is
   * MISSING_RECHECK_MS old (one read an hour however many it lacks), at most once in SPACING_MS.
   * Atlassian adds actions as it adds controls, and an event is
   * classified and judged once, when it is stored: read without its action's name, a settings
   * change would never be recognised. A failed fetch keeps the stored catalogue. A configured key
   * is known (Atlassian may never list the MCP action: that is what `mcpActionKeys` is for), and
   * the keys a fetch showed missing are looked for again together, hourly: each fetch is a full
   * paged read (an event stored meanwhile is classified again when its action is listed). A catalogue that
   * refused the key is not asked here: it is asked again on current()'s schedule.
   */
  async covering(items: readonly unknown[], signal?: AbortSignal): Promise<McpCatalog> {
    const catalog = this.catalog ?? (await this.current(signal));
    const now = this.o.clock.now();
    if (this.refused || now - this.triedAt < SPACING_MS) return catalog;
    const unknown = new Set<string>();
    let missing = false;
    for (const item of items) {
      const action = at(item, "attributes", "action");
      if (action === null || catalog.actions.has(action) || catalog.extraKeys.has(action)) continue;
      if (this.missing.has(action)) missing = true;
      else unknown.add(action);
    }
    const recheck = missing && now - this.readAt >= MISSING_RECHECK_MS;
    if (unknown.size === 0 && !recheck) return catalog;
    try {
      await this.fetch(now, signal);
    } catch (error) {
      if (fromStore(error) || signal?.aborted) throw error;
      if (error instanceof AtlassianError && error.kind === "auth") {
        this.refusedBy(error, now);
        return catalog;
      }
      this.o.log.warn(
        { err: error },
        "could not fetch the action catalogue (/event-actions) for an action it lacks; using the stored one",
      );
      return catalog;
    }
    const rebuilt = this.rebuild();
    for (const action of unknown) this.missing.add(action);
    for (const action of this.missing) if (rebuilt.actions.has(action)) this.missing.delete(action);
    return rebuilt;
  }

  /** The key refused (401, 403): said once, and asked again by current() in ten intervals. */
  private refusedBy(error: AtlassianError, now: number): void {
    const { o } = this;
    if (!this.refused)
      o.log.warn(
        { status: error.status },
        `the action catalogue (/event-actions) refused the key (${error.status}): using the stored one (an event whose text mentions MCP is kept as a guessed MCP call); the audit log is read anyway, and its answer says whether the key is accepted`,
      );
    this.refused = true;
    this.fetchedAt = now - o.refreshMs + o.intervalMs * 10;
  }

  /** Fetches the catalogue (or takes the one kept unstored) and stores it; when it was fetched. */
  private async fetch(now: number, signal?: AbortSignal): Promise<number> {
    this.triedAt = now;
    const kept = this.unstored;
    const fetched =
      kept && now - kept.at < this.o.refreshMs
        ? kept
        : { actions: await this.o.client.eventActions(signal), at: now };
    noActionAtAll(fetched.actions);
    this.refused = false;
    this.unstored = fetched;
    this.o.stores.writeTransaction(() => this.store(fetched.actions, fetched.at));
    this.unstored = undefined;
    this.readAt = fetched.at;
    return fetched.at;
  }

  /** Keeps a fetched catalogue, and says (and acts on) the MCP actions it adds or no longer lists. */
  private store({ actions, complete }: EventActions, now: number): void {
    const { o } = this;
    const { eventActions } = o.stores;
    const stored = eventActions.all(o.orgId);
    const before = listedMcp(stored);
    const retired = eventActions.replace(o.orgId, actions, isMcpAction, now, complete);
    const gone = retired.filter((action) => before.has(action));
    if (gone.length > 0)
      o.log.warn(
        { retired: gone },
        `the action catalogue (/event-actions) no longer lists the MCP action(s) ${gone.join(", ")}: no longer shown as current; events stored under them stay MCP calls`,
      );
    const all = eventActions.all(o.orgId);
    const added = [...listedMcp(all)].filter(
      (action) => !before.has(action) && !o.extraMcpKeys.includes(action),
    );
    if (added.length === 0) return;
    const { rows } = recordKeysAgain(o.stores, o.orgId, added);
    // Nothing stored yet (a first start): `rebuild` names the keys.
    if (rows === 0) return;
    o.log.warn(
      { added, rows },
      `the action catalogue (/event-actions) now lists ${added.join(", ")} as MCP: the ${rows} stored event(s) are looked through, a chunk at a time after each poll, for those under it that are no MCP call yet, to classify them again (the live ones that become MCP calls are judged by the rules)`,
    );
  }

  private rebuild(): McpCatalog {
    const { o } = this;
    const before = this.catalog ? this.keys().join(",") : undefined;
    this.catalog = buildCatalog(o.stores.eventActions.all(o.orgId), o.extraMcpKeys, o.tools);
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

/** Every organization has actions: an empty list is an answer gone wrong, a failed read. */
export function noActionAtAll({ actions }: EventActions): void {
  if (actions.length === 0)
    throw new AtlassianError("bad-response", "GET /event-actions answered no action at all");
}

/** The actions listed as MCP, retired or not (a retired one still classifies its events). */
function listedMcp(actions: readonly ActionInfo[]): Set<string> {
  return new Set(actions.filter(isMcpAction).map((info) => info.action));
}
