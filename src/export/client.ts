import { rateLimitWaitMs } from "../atlassian/retry.js";
import type { Clock } from "../clock.js";
import { type BodyRead, readStart } from "../error-body.js";
import type { Secret } from "../secret.js";
import { answerLine } from "./answer-line.js";
import { type Answer, post } from "./post.js";
import { receiverResetAt } from "./reset-at.js";
import { SIGNATURE_HEADER, signature, TIMESTAMP_HEADER } from "./sign.js";
import { unreachableReason } from "./unreachable.js";
import { isWebPage } from "./web-page.js";

/** What the receiver made of one batch. */
export type Delivery =
  /** A 2xx, unless its body is a web page (web-page.ts). */
  | { readonly kind: "delivered"; readonly status: number }
  /**
   * 408, 425, 429, 5xx, a 2xx web page or cut short, a timeout or a network error: send these
   * records again later.
   */
  | {
      readonly kind: "retry";
      readonly reason: string;
      /** What a Retry-After asked for, in ms. */
      readonly waitMs: number | undefined;
      /**
       * Whether the receiver as a whole is to wait (a timeout, no answer, a 408, 425 or 429, a
       * Retry-After), rather than this batch alone (a 5xx without one: a batch it cannot take).
       */
      readonly receiverWide: boolean;
    }
  /** Any other answer (a 4xx, a redirect): sending it again would be refused again. */
  | { readonly kind: "refused"; readonly status: number; readonly reason: string };

export interface ExportClientOptions {
  readonly url: string;
  readonly secret: Secret;
  readonly clock: Clock;
  /** How long a POST may take, its answer's body read included, before it counts as failed. */
  readonly timeoutMs?: number;
}

/** Answers that say "later": a timeout in front of the receiver, too early, too many. */
const RETRIED = new Set([408, 425, 429]);

/** How long a POST may take by default. */
const POST_TIMEOUT_MS = 30_000;

/**
 * What a receiver answered (`body`, its start), as ": " and one short line for the log and
 * /healthz (answer-line.ts), "" when it says nothing: its page may quote the path it was asked
 * for, where a token may be, so that is cut out first (whole), and again from the line (a
 * character reference may have hidden it).
 */
function answered(body: string, response: Answer, url: string): string {
  const line = answerLine(withoutAddress(body, url), response.headers.get("content-type"));
  const text = withoutAddress(line, url);
  return text === "" ? "" : `: ${text}`;
}

/**
 * Where a redirect points, for the operator to set EXPORT_URL to: never followed (the batch and
 * its signature would go to another address). Its credentials, query and fragment are left out,
 * and EXPORT_URL's path where a part of it may be a token (secretParts).
 */
function redirect(response: Answer, url: string): string {
  const location = response.headers.get("location");
  if (!location) return ", a redirect without a Location";
  let to: URL;
  try {
    to = new URL(location, url);
  } catch {
    return ", a redirect to an address that does not parse";
  }
  const path = secretParts(url).reduce((p, part) => p.replaceAll(part, "…"), to.pathname);
  return `, a redirect to ${to.origin}${path} (not followed: set EXPORT_URL to it if the receiver is there)`;
}

/**
 * What a 2xx means: delivered, unless its body is a web page (a gateway's or SSO proxy's sign-in
 * or error page: the collector never got the batch), or it broke off with nothing of it read (the
 * receiver may not have kept the batch: sent again, at least once), or the export was stopping
 * while it was read (sent again at the next start).
 */
function success(
  status: number,
  read: BodyRead,
  response: Answer,
  url: string,
  stopping: boolean,
): Delivery {
  const retry = (reason: string): Delivery => ({
    kind: "retry",
    reason: `the receiver answered ${status}${reason}`,
    waitMs: undefined,
    receiverWide: true,
  });
  if (read.broke && stopping) return retry(", read no further: the export is stopping");
  if (isWebPage(read.text, response.headers.get("content-type")))
    return retry(
      ` with a web page, not taken as delivered (a sign-in or proxy page in front of the receiver, most likely)${answered(read.text, response, url)}`,
    );
  if (read.broke && read.text.trim() === "")
    return retry(
      ", but its body broke off or stalled before any of it came: not taken as delivered (sent again, the receiver may get these records twice)",
    );
  return { kind: "delivered", status };
}

/** POSTs signed NDJSON batches to EXPORT_URL. Knows HTTP, not what the records are. */
export class ExportClient {
  constructor(private readonly o: ExportClientOptions) {}

  /** `text` without EXPORT_URL's path and query (a stop kept by an earlier release says them). */
  redact(text: string): string {
    return withoutAddress(text, this.o.url);
  }

  async post(body: string, signal?: AbortSignal): Promise<Delivery> {
    const timestamp = Math.floor(this.o.clock.now() / 1000);
    const timeout = AbortSignal.timeout(this.o.timeoutMs ?? POST_TIMEOUT_MS);
    let response: Answer;
    try {
      const headers = {
        "content-type": "application/x-ndjson",
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signature(this.o.secret.reveal(), timestamp, body),
      };
      response = await post(
        this.o.url,
        headers,
        body,
        signal ? AbortSignal.any([signal, timeout]) : timeout,
      );
    } catch (error) {
      // Its code says what failed (refused, not found, TLS); its message may quote the address,
      // which may carry a token in its path and is shown in /healthz and the log.
      const { code, message } = error as NodeJS.ErrnoException;
      const reason = timeout.aborted
        ? "the receiver did not answer in time"
        : unreachableReason(code, withoutAddress(message, this.o.url));
      return { kind: "retry", reason, waitMs: undefined, receiverWide: true };
    }
    const { status } = response;
    const read = await readStart(response);
    if (status >= 200 && status < 300)
      return success(status, read, response, this.o.url, signal?.aborted === true);
    const said = answered(read.text, response, this.o.url);
    if (RETRIED.has(status) || status >= 500) {
      const waitMs = rateLimitWaitMs(response.headers, this.o.clock.now(), receiverResetAt);
      return {
        kind: "retry",
        reason: `the receiver answered ${status}${said}`,
        waitMs,
        receiverWide: RETRIED.has(status) || waitMs !== undefined,
      };
    }
    const where = status >= 300 && status < 400 ? redirect(response, this.o.url) : "";
    return { kind: "refused", status, reason: `the receiver answered ${status}${where}${said}` };
  }
}

/** Parts of a path or query this short are words ("hooks", "ingest"), not tokens. */
const SHORT_PART = 8;

/** Lower-case words ("mcp-activity", "collector"): a part of a path that names, not a token. */
const WORDS = /^[a-z._~-]+$/;

/**
 * `text` with the address, as given or as parsed, replaced by its origin (no path, no password),
 * and its query, its path when a part of it may be a token, and their longer parts (never words),
 * as given or decoded, by "…". The address followed by more of a path (a redirect's trailing
 * slash) is left to the parts: the rest is worth showing.
 */
export function withoutAddress(text: string, url: string): string {
  const parsed = new URL(url);
  let out = text;
  for (const whole of new Set([url, parsed.href]))
    out = out.replace(new RegExp(`${escaped(whole)}(?![\\w/.~%-])`, "g"), parsed.origin);
  for (const part of secretParts(url)) out = out.replaceAll(part, "…");
  return out;
}

/**
 * EXPORT_URL's query and its longer parts, and the parts of its path that may be tokens (long,
 * with a digit, a capital or another sign) with the whole path they are in; never words (a path
 * such as /services/collector/event names the receiver), as given or decoded: the longest first.
 */
function secretParts(url: string): string[] {
  const parsed = new URL(url);
  const tokens = parsed.pathname
    .split("/")
    .filter((part) => part.length >= SHORT_PART && !WORDS.test(decoded(part)));
  const parts = [
    parsed.search.slice(1),
    ...parsed.searchParams.values(),
    ...(tokens.length > 0 ? [`${parsed.pathname}${parsed.search}`, parsed.pathname] : []),
    ...tokens,
  ];
  return [...new Set(parts.flatMap((p) => [p, decoded(p)]))]
    .filter((p) => p.length >= SHORT_PART)
    .sort((a, b) => b.length - a.length);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
