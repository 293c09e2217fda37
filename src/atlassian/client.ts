import type { z } from "zod";
import type { Clock } from "../clock.js";
import { bodyStart, bodyUnlessPage } from "../error-body.js";
import type { Logger } from "../logger.js";
import type { Secret } from "../secret.js";
import { VERSION } from "../version.js";
import { cursorOf, cursorRefused } from "./cursors.js";
import { AtlassianError, UnparsedAnswer } from "./errors.js";
import { type EventActions, readEventActions } from "./event-actions.js";
import { httpError } from "./http-errors.js";
import { dataItemTexts } from "./item-texts.js";
import { htmlPage, MAX_REDIRECTS, redirected, redirectWithin } from "./odd-answers.js";
import { backoffMs, type Retry } from "./retry.js";
import { listSchema, streamPageSchema } from "./schemas.js";
import { ServerClock } from "./server-clock.js";
import { splitPage } from "./unparsed-page.js";

export interface AtlassianClientOptions {
  readonly baseUrl: string;
  readonly orgId: string;
  readonly apiKey: Secret;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Per request. */
  readonly timeoutMs?: number;
  /** A rate-limit wait longer than this ends the call (the next poll resumes). */
  readonly maxWaitMs?: number;
  readonly random?: () => number;
}

export interface StreamPage {
  /**
   * Raw items, each validated by the caller so one bad item cannot sink the page; an item whose
   * JSON does not parse is an UnreadableItem.
   */
  readonly items: readonly unknown[];
  /** Each item's JSON as received, when the body could be split; else undefined. */
  readonly texts: readonly string[] | undefined;
  /** The cursor to ask next; on the last page it keeps working for what arrives later. */
  readonly next: string | undefined;
  /**
   * How many items were asked, when fewer than the request named (StuckPage asks smaller pages):
   * a page of that many is full, not the end.
   */
  readonly limit?: number;
}

export interface StreamRequest {
  readonly cursor?: string;
  readonly from?: number;
  readonly limit?: number;
}

/** Events a stream page holds when the request names no limit. */
export const DEFAULT_PAGE_LIMIT = 200;

/** Retries of 429, 5xx, timeouts and network errors before giving up on a call. */
const MAX_RETRIES = 4;

/** The organizations API: the audit-log stream, the action catalogue, the orgs a key sees. */
export class AtlassianClient {
  private readonly options: Required<AtlassianClientOptions>;
  /** Atlassian's clock, from the Date header of its answers. */
  readonly serverClock = new ServerClock();
  private retried: ((retry: Retry) => void) | undefined;

  constructor(options: AtlassianClientOptions) {
    this.options = {
      timeoutMs: 30_000,
      maxWaitMs: 60_000,
      random: Math.random,
      ...options,
    };
  }

  get orgId(): string {
    return this.options.orgId;
  }

  /** Tells `listener` (one: the poller's) of every request about to be tried again. */
  onRetry(listener: (retry: Retry) => void): void {
    this.retried = listener;
  }

  /** The organizations the key sees, following pages (one may be named on a later page). */
  async listOrgs(signal?: AbortSignal): Promise<Array<{ id: string; name: string | undefined }>> {
    const orgs: Array<{ id: string; name: string | undefined }> = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      const path = `/admin/v1/orgs${query}`;
      const body = await this.get(path, listSchema, "a list of organizations", signal);
      for (const org of body.data) orgs.push({ id: org.id, name: org.attributes?.name });
      const next = cursorOf(body.meta?.next, body.links?.next);
      if (!next || next === cursor || body.data.length === 0) break;
      cursor = next;
    }
    return orgs;
  }

  /** Every action key with its display and group names (see readEventActions). */
  eventActions(signal?: AbortSignal): Promise<EventActions> {
    return readEventActions((cursor) => {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      const path = `${this.orgPath}/event-actions${query}`;
      return this.get(path, listSchema, "a list of actions", signal);
    }, this.options.logger);
  }

  async streamPage(request: StreamRequest, signal?: AbortSignal): Promise<StreamPage> {
    const params = new URLSearchParams({
      limit: String(request.limit ?? DEFAULT_PAGE_LIMIT),
      sortOrder: "asc",
    });
    if (request.cursor) params.set("cursor", request.cursor);
    else if (request.from !== undefined) params.set("from", String(Math.floor(request.from)));
    const path = `${this.orgPath}/events-stream?${params}`;
    const { data: body, text } = await this.getWithText(
      path,
      streamPageSchema,
      "a page with a data list",
      signal,
      splitPage,
    ).catch((error: unknown) => {
      throw request.cursor ? cursorRefused(error) : error;
    });
    const texts = dataItemTexts(text);
    return {
      items: body.data,
      texts: texts?.length === body.data.length ? texts : undefined,
      next: cursorOf(body.meta?.next, body.links?.next),
    };
  }

  private get orgPath(): string {
    return `/admin/v1/orgs/${encodeURIComponent(this.options.orgId)}`;
  }

  /**
   * One GET with timeout, bounded retries and the API's rate-limit hints. A body of the wrong
   * shape is retried like a 5xx: proxies and overloaded gateways answer such things.
   */
  private async get<T>(
    path: string,
    schema: z.ZodType<T>,
    expected: string,
    signal?: AbortSignal,
  ): Promise<T> {
    return (await this.getWithText(path, schema, expected, signal)).data;
  }

  /**
   * `get`, with the body's text as received; `lenient` reads a body JSON.parse refuses, or says
   * undefined when it cannot either, and then the UnparsedAnswer is the caller's, not retried.
   */
  private async getWithText<T>(
    path: string,
    schema: z.ZodType<T>,
    expected: string,
    signal?: AbortSignal,
    lenient?: (text: string) => unknown,
  ): Promise<{ data: T; text: string }> {
    const { clock, maxWaitMs, random, logger } = this.options;
    const label = path.split("?")[0] ?? path;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(path, signal, lenient);
      let error: AtlassianError;
      if ("body" in outcome) {
        const parsed = schema.safeParse(outcome.body);
        if (parsed.success) return { data: parsed.data, text: outcome.text };
        error = new AtlassianError(
          "bad-response",
          `GET ${label} answered something other than ${expected}`,
        );
      } else {
        error = outcome.error;
      }
      if (!error.retryable || attempt >= MAX_RETRIES) throw error;
      // A stream page that does not parse is asked again by the caller (see StuckPage), at once.
      if (lenient && error instanceof UnparsedAnswer) throw error;
      const wait =
        error.kind === "rate-limited"
          ? (error.retryAfterMs ?? backoffMs(attempt, random))
          : backoffMs(attempt, random);
      if (wait > maxWaitMs) {
        throw new AtlassianError(
          error.kind,
          `${error.message}; asked to wait ${Math.round(wait / 1000)} s, resuming at the next poll`,
          {
            status: error.status,
            retryAfterMs: wait,
          },
        );
      }
      // At debug: the listener (the poller's PollFailures) says the first retry of a poll at warn,
      // and a poll that fails after its retries once.
      logger.debug(
        { path: label, attempt: attempt + 1, waitMs: wait, kind: error.kind },
        `${error.message}; retrying`,
      );
      const { kind, message } = error;
      this.retried?.({ kind, message, retry: attempt + 1, of: MAX_RETRIES, waitMs: wait });
      await clock.sleep(wait, signal);
      if (signal?.aborted) throw new AtlassianError("aborted", "stopped while waiting to retry");
    }
  }

  private async attempt(
    path: string,
    signal?: AbortSignal,
    lenient?: (text: string) => unknown,
  ): Promise<{ body: unknown; text: string } | { error: AtlassianError }> {
    const { baseUrl, apiKey, timeoutMs, clock } = this.options;
    const label = `GET ${path.split("?")[0]}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    let page = false;
    try {
      let url = `${baseUrl}${path}`;
      for (let hops = 0; ; hops++) {
        response = await fetch(url, {
          headers: {
            authorization: `Bearer ${apiKey.reveal()}`,
            accept: "application/json",
            "user-agent": `mcp-activity/${VERSION}`,
          },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          // Followed here, and only on the API's host: the key is never sent to another (see
          // redirected).
          redirect: "manual",
        });
        // Only a success is surely the API's: a proxy's error page carries its own clock.
        if (response.ok) this.serverClock.answered(response.headers.get("date"), clock.now());
        const within = redirectWithin(response, url, baseUrl);
        if (within === undefined || hops === MAX_REDIRECTS) break;
        await response.body?.cancel();
        url = within;
      }
      // An error's page, or a web page, is read only as far as its message (a proxy's may be
      // endless).
      if (response.ok) ({ text, page } = await bodyUnlessPage(response));
      else text = await bodyStart(response);
    } catch (cause) {
      if (signal?.aborted)
        return { error: new AtlassianError("aborted", `${label} stopped`, { cause }) };
      if (timeout.aborted) {
        return {
          error: new AtlassianError("timeout", `${label} took longer than ${timeoutMs / 1000} s`, {
            cause,
          }),
        };
      }
      // fetch says only "fetch failed"; its cause says why (ECONNREFUSED, ENOTFOUND, a TLS error).
      const reason = (cause as { cause?: { code?: string; message?: string } }).cause;
      const why = reason?.code ?? reason?.message ?? (cause as Error).message;
      const host = new URL(baseUrl).host;
      // A connection that could not be made: the network, a proxy, DNS or TLS, or a wrong address.
      const unreachable =
        /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|CERT_|ERR_TLS|SELF_SIGNED|UNABLE_TO_)/.test(
          why,
        );
      const advice = unreachable
        ? `: check that this machine reaches ${host} over ${new URL(baseUrl).protocol === "http:" ? "HTTP" : "HTTPS"}, and ATLASSIAN_API_BASE_URL`
        : "";
      return {
        error: new AtlassianError("network", `${label} on ${host} failed (${why})${advice}`, {
          cause,
        }),
      };
    }
    if (response.ok && page) return { error: htmlPage(label, response, new URL(baseUrl).host) };
    if (response.ok) {
      try {
        return { body: JSON.parse(text) as unknown, text };
      } catch (cause) {
        // Read item by item when it can be (see splitPage), else a failure that keeps the text.
        const salvaged = lenient?.(text);
        if (salvaged !== undefined) return { body: salvaged, text };
        return { error: new UnparsedAnswer(label, text, cause) };
      }
    }
    if (response.status >= 300 && response.status < 400)
      return { error: redirected(label, response, `${baseUrl}${path}`) };
    return { error: httpError(label, response, text, clock.now()) };
  }
}
