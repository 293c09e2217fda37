import { AppError } from "../errors.js";

export type AtlassianErrorKind =
  | "auth"
  | "rate-limited"
  | "invalid-cursor"
  | "server"
  | "network"
  | "timeout"
  | "bad-response"
  | "not-found"
  | "bad-request"
  | "redirected"
  | "aborted";

const RETRYABLE: ReadonlySet<AtlassianErrorKind> = new Set([
  "rate-limited",
  "server",
  "network",
  "timeout",
  "bad-response",
]);

/** A failed call to the organizations API, by kind, with what the operator should do. */
export class AtlassianError extends AppError {
  readonly kind: AtlassianErrorKind;
  readonly status: number | undefined;
  /** For rate limits: how long the API asked to wait. */
  readonly retryAfterMs: number | undefined;
  /** The API's own code of the error, when its body gave one (`ADMIN-400-3`). */
  readonly apiCode: string | undefined;

  constructor(
    kind: AtlassianErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; apiCode?: string; cause?: unknown } = {},
  ) {
    super(`ATLASSIAN_${kind.toUpperCase().replace(/-/g, "_")}`, message, {
      retryable: RETRYABLE.has(kind),
      cause: options.cause,
    });
    this.name = "AtlassianError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.apiCode = options.apiCode;
  }
}

/**
 * A 200 whose body does not parse as JSON, with that body: what came of a stream page, for the
 * poller to read past (see StuckPage). Not enumerable: a body never goes into a log line.
 */
export class UnparsedAnswer extends AtlassianError {
  declare readonly text: string;

  constructor(label: string, text: string, cause: unknown) {
    super("bad-response", `${label} answered JSON that does not parse`, { cause });
    Object.defineProperty(this, "text", { value: text, enumerable: false });
  }
}
