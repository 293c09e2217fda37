import { rateLimitWaitMs } from "../atlassian/retry.js";
import type { Clock } from "../clock.js";
import { type BodyRead, readStart } from "../error-body.js";
import type { Secret } from "../secret.js";
import { answerLine } from "./answer-line.js";
import { type Answer, post } from "./post.js";
import { redirectLine } from "./redirect.js";
import { receiverResetAt } from "./reset-at.js";
import { SIGNATURE_HEADER, signature, TIMESTAMP_HEADER } from "./sign.js";
import { unreachableReason } from "./unreachable.js";
import { isWebPage } from "./web-page.js";
import { withoutAddress, withoutAddressOrParts } from "./without-address.js";

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
  const line = answerLine(withoutAddressOrParts(body, url), response.headers.get("content-type"));
  const text = withoutAddressOrParts(line, url);
  return text === "" ? "" : `: ${text}`;
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
        : unreachableReason(code, withoutAddressOrParts(message, this.o.url));
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
    const where =
      status >= 300 && status < 400
        ? redirectLine(response.headers.get("location"), this.o.url)
        : "";
    return { kind: "refused", status, reason: `the receiver answered ${status}${where}${said}` };
  }
}
