/** The outbox: every Slack write, queued with what caused it and delivered once. */

export type OutboxMethod = "chat.postMessage" | "chat.update" | "files.upload" | "views.publish";

export type OutboxState = "pending" | "claimed" | "delivered" | "failed" | "dropped";

/** What is sent: a message, or a file with its name and title. Rendered when queued. */
export interface OutboxPayload {
  readonly text: string;
  readonly blocks?: readonly unknown[];
  readonly metadata?: {
    readonly event_type: string;
    readonly event_payload: Readonly<Record<string, string | number | boolean>>;
  };
  readonly filename?: string;
  readonly title?: string;
}

/**
 * Where a message goes: a channel (a thread of it, or a message of it to update) or a person (a
 * direct message, or with `views.publish` their App Home).
 */
export type OutboxTarget =
  | { readonly channel: string; readonly parentId?: number; readonly ts?: string }
  | { readonly user: string };

export interface NewOutboxItem {
  /** Idempotency key: queuing the same key again changes nothing. */
  readonly key: string;
  readonly kind: string;
  readonly method: OutboxMethod;
  readonly to: OutboxTarget;
  readonly payload: OutboxPayload;
  readonly priority: number;
  readonly orgId?: string | null;
  /** What the item is about (`alert:org:42`), for finding its message later. */
  readonly ref?: string;
  readonly file?: Buffer;
  /** What the producer needs once the message is sent or has failed. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Not sent any more after this, whatever held it back (an outage, a setup problem). */
  readonly deadline?: number;
  /** An earlier attempt (made before the outbox existed) may have reached Slack then. */
  readonly attemptedAt?: number;
  /** Not sent before this time. */
  readonly notBefore?: number;
}

export interface OutboxItem {
  readonly id: number;
  readonly key: string;
  readonly kind: string;
  readonly method: OutboxMethod;
  readonly orgId: string | null;
  readonly ref: string | null;
  /** What is paced: the channel (user:U… for a direct message not opened yet), and the lane. */
  readonly destination: string;
  /** The channel; for a direct message, once it has been opened. */
  readonly channel: string | null;
  readonly userId: string | null;
  readonly parentId: number | null;
  /** The message this replies to (its thread) or updates, once known. */
  readonly targetTs: string | null;
  /** The parent item failed or was dropped: there is no thread to reply in. */
  readonly parentLost: boolean;
  readonly payload: OutboxPayload;
  readonly file: Buffer | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly priority: number;
  readonly attempts: number;
  /** Every nonce sent with an attempt; a message carrying one of them is this item's. */
  readonly nonces: readonly string[];
  readonly firstClaimedAt: number | null;
  readonly uncertain: boolean;
  readonly deadline: number | null;
  /** The code of the last attempt's failure, while it waits to be tried again. */
  readonly lastError: string | null;
  readonly createdAt: number;
}

export interface ClaimOptions {
  readonly now: number;
  readonly owner: string;
  readonly nonce: string;
  readonly leaseMs: number;
  /**
   * An item taken back from a claim (its process died or its lease ran out) is looked up no
   * sooner than this after the claim began: Slack may still be storing what it sent.
   */
  readonly lookUpAfterMs: number;
  /** Minimum spacing of two messages to one destination. */
  readonly spacingMs: number;
  /** The kinds this process can deliver. */
  readonly kinds: ReadonlySet<string>;
  /** Methods paused now (rate limit or setup): their items wait. */
  readonly blocked: (item: Pick<OutboxItem, "method" | "userId">) => boolean;
  /** Whether a claim's owner still runs (a claim of a process that died is taken at once). */
  readonly alive: (owner: string) => boolean;
  /** Restricts the claim to some items (the CLI delivers only what it queued). */
  readonly only?: (item: Pick<OutboxItem, "id" | "key" | "ref">) => boolean;
}

/** A claimed item, or when the next item held back only by its destination's pace falls due. */
export interface Claim {
  readonly item?: OutboxItem;
  readonly pacedUntil?: number;
}

export interface OutboxHealth {
  readonly pendingByKind: Readonly<Record<string, number>>;
  readonly inFlight: number;
  readonly oldestPendingAt: number | null;
  /**
   * The last message Slack refused for good: what it was and why, never its key, which may name
   * a person (a Slack user's App Home, an Atlassian account's weekly check) where anyone reaching
   * /healthz reads it.
   */
  readonly lastFailure: {
    readonly kind: string;
    /** The organization it was about, if one. */
    readonly orgId: string | null;
    /** The alert it was about (its message, an update, a reply, a question about it), if one. */
    readonly alertId: number | null;
    readonly reason: string;
    readonly at: number;
  } | null;
}
