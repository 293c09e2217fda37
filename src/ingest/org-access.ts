import type { AtlassianClient } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";
import { type Retry, retryWords } from "../atlassian/retry.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { PollFailures } from "./poll-failures.js";

/**
 * The organization's name as the API key sees it (undefined when it has none); a wrong id or key
 * is said plainly, with the organizations the key does see.
 */
async function visibleOrg(
  client: Pick<AtlassianClient, "listOrgs" | "orgId">,
  signal?: AbortSignal,
): Promise<{ name: string | undefined }> {
  const orgs = await client.listOrgs(signal);
  const mine = orgs.find((org) => org.id === client.orgId);
  if (mine) return { name: mine.name };
  const seen =
    orgs.map((org) => (org.name ? `${org.id} (${org.name})` : org.id)).join(", ") || "none";
  throw new AtlassianError(
    "not-found",
    `organization ${client.orgId} is not visible to this API key (it sees: ${seen}): check ATLASSIAN_ORG_ID, or create the key in that organization`,
  );
}

/**
 * What a message about the list of organizations not giving the name says of it: that the name
 * kept from the list's last answer (`kept`) is used, or that it is not known (`yet`: while the
 * list is asked again).
 */
function nameMeanwhile(kept: string | undefined, yet: string): string {
  return kept === undefined
    ? `the organization's name is not known${yet}`
    : "the organization's name the list last gave is used meanwhile";
}

/**
 * `visibleOrg`, where the list of organizations may refuse the key (401, 403): polling does not
 * need it, and a key scoped to the audit log alone may be refused there while the stream accepts
 * it. Then `refused` says so (and what of the name: `kept`, the one a list gave before, if any),
 * and the stream's own answer is the one that says whether the key works.
 */
export async function listedOrg(
  client: Pick<AtlassianClient, "listOrgs" | "orgId">,
  signal?: AbortSignal,
  kept?: string,
): Promise<{ name: string | undefined; refused?: string }> {
  try {
    return await visibleOrg(client, signal);
  } catch (error) {
    if (!(error instanceof AtlassianError && error.kind === "auth")) throw error;
    return {
      name: undefined,
      refused: `GET /admin/v1/orgs answered ${error.status}: this key may not list organizations (one with the read:events:admin scope alone may be refused there), so ATLASSIAN_ORG_ID is not checked against them and ${nameMeanwhile(kept, "")}; the audit log is read anyway, and its answer says whether the key is accepted`,
    };
  }
}

/** What the list of organizations said: the organization's name, or that it did not answer. */
export type Access =
  | { readonly name: string | undefined }
  | { readonly unanswered: AtlassianError };

/**
 * Asks which organizations the key sees, so a wrong id or key is said plainly at start; the
 * organization's name, undefined when not known. A key refused that list is only warned of (see
 * listedOrg), and a list that does not answer (a 5xx, a timeout, a 429, an answer of the wrong
 * shape) is `unanswered`: polling does not need it, the stream's answer decides.
 */
async function checkedAccess(
  client: Pick<AtlassianClient, "listOrgs" | "orgId">,
  failures: Pick<PollFailures, "accepted" | "notFound">,
  log: Pick<Logger, "warn">,
  kept: string | undefined,
  signal?: AbortSignal,
): Promise<Access> {
  try {
    const org = await listedOrg(client, signal, kept);
    if (org.refused !== undefined) {
      log.warn(org.refused);
      return { name: undefined };
    }
    failures.accepted();
    return { name: org.name };
  } catch (error) {
    if (error instanceof AtlassianError && error.retryable) return { unanswered: error };
    // An organization the key does not see, or an address that is not the API's: the key was
    // accepted, a setting is wrong.
    if (error instanceof AtlassianError && error.kind === "not-found") failures.notFound();
    throw error;
  }
}

/** Said, once, when the list of organizations does not answer (`kept`: the name it gave before). */
function unanswered(error: AtlassianError, kept: string | undefined): string {
  return `${error.message}: ATLASSIAN_ORG_ID is not checked against the organizations the key sees, and ${nameMeanwhile(kept, " yet")}; the audit log is read anyway (polling does not need this list), and the list is asked again later`;
}

/**
 * The check of the key and organization a poller makes before it polls: the organization's name
 * it found (kept, so a restart names it before the list answers again), and whether it is waiting
 * on the API (health counts that as work in progress: a slow API at start must give a reason, as
 * a slow poll does). A list that did not answer is asked again `againMs` later, before a poll.
 */
export class AccessCheck {
  private name: string | undefined;
  private asking = 0;
  /** When to check before a poll: at once, again after a failure; undefined once answered. */
  private dueAt: number | undefined = Number.NEGATIVE_INFINITY;
  /** The list did not answer, and that was said. */
  private said = false;
  /** A request of the check running (or the last) was tried again. */
  private anyRetry = false;
  /** The database did not take a name, and that was said. */
  private unkept = false;

  constructor(
    private readonly client: Pick<AtlassianClient, "listOrgs" | "orgId">,
    private readonly failures: Pick<PollFailures, "accepted" | "notFound">,
    private readonly log: Pick<Logger, "warn" | "info">,
    private readonly clock: Pick<Clock, "now">,
    private readonly againMs: number,
    /** The name the API last gave, kept across restarts. */
    private readonly kept: { read(): string | undefined; write(name: string): void },
  ) {
    this.name = kept.read();
  }

  /** The organization's name, as the API last gave it (before a restart too); undefined until then. */
  get orgName(): string | undefined {
    return this.name;
  }

  /** Whether a check is waiting for the API's answer, or retrying it. */
  get waiting(): boolean {
    return this.asking > 0;
  }

  /** Whether a request of the check running (or the last) was tried again. */
  get retrying(): boolean {
    return this.anyRetry;
  }

  /**
   * A request of the check is tried again: the first retry of a check is said at warn (the health
   * of a slow check points at the log) while the list has not been said to be unanswered; the
   * others at debug, by the client.
   */
  retried(retry: Retry): void {
    const first = !this.anyRetry;
    this.anyRetry = true;
    if (!first || this.said) return;
    const { kind, waitMs } = retry;
    this.log.warn({ kind, retry: retry.retry, of: retry.of, waitMs }, retryWords(retry));
  }

  /** Whether to check before the next poll: until the list answers, at most every `againMs`. */
  get due(): boolean {
    return this.dueAt !== undefined && this.clock.now() >= this.dueAt;
  }

  /**
   * Keeps the name for a restart, if the database takes it: reading the audit log does not need
   * it, so a write refused (a full disk, a lock held too long) is said once and fails nothing.
   */
  private keep(name: string): void {
    try {
      this.kept.write(name);
    } catch (error) {
      if (this.unkept) return;
      this.unkept = true;
      this.log.warn(
        { err: error },
        `the organization's name could not be kept in the database (${(error as Error).message}): it is used until the bot stops; a restart names the organization as it did before this name until the list of organizations answers again`,
      );
    }
  }

  /** Asks which organizations the key sees (see checkedAccess), keeping the organization's name. */
  async check(signal?: AbortSignal): Promise<void> {
    this.asking++;
    this.anyRetry = false;
    try {
      const access = await checkedAccess(this.client, this.failures, this.log, this.name, signal);
      if ("unanswered" in access) {
        const { kind, status } = access.unanswered;
        if (!this.said) this.log.warn({ kind, status }, unanswered(access.unanswered, this.name));
        this.said = true;
        this.dueAt = this.clock.now() + this.againMs;
        return;
      }
      if (this.said) this.log.info("GET /admin/v1/orgs answers again");
      this.said = false;
      this.dueAt = undefined;
      if (access.name === undefined || access.name === this.name) return;
      this.name = access.name;
      this.keep(access.name);
    } finally {
      this.asking--;
    }
  }
}
