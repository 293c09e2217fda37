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

  constructor(
    kind: AtlassianErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`ATLASSIAN_${kind.toUpperCase().replace(/-/g, "_")}`, message, {
      retryable: RETRYABLE.has(kind),
      cause: options.cause,
    });
    this.name = "AtlassianError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
