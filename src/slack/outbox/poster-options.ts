import type { WebClient } from "@slack/web-api";
import type { Clock } from "../../clock.js";
import type { ClaimOptions, OutboxItem, OutboxPayload } from "../../domain/outbox.js";
import type { Logger } from "../../logger.js";
import type { OutboxStore } from "../../store/outbox.js";
import type { SlackPauses } from "./pauses.js";
import type { Sent } from "./send.js";

/** What a kind of message needs done once it is sent or has failed, and when not to send it. */
export interface KindHandler {
  /** Runs in the transaction that records the delivery. */
  delivered?(item: OutboxItem, sent: Sent, now: number): void;
  /** Runs in the transaction that records a failure (Slack refused it, or it gave up). */
  failed?(item: OutboxItem, reason: string, now: number): void;
  /** A reason not to send it any more (a reminder of an alert handled meanwhile): it is dropped. */
  stale?(item: OutboxItem): string | undefined;
  /** Runs in the transaction that records it was dropped as stale. */
  dropped?(item: OutboxItem, reason: string, now: number): void;
  /**
   * A plainer form of the message, sent once in its place when Slack refuses it for its blocks or
   * its length (see plain-form.ts); undefined when there is none.
   */
  plain?(item: OutboxItem): OutboxPayload | undefined;
}

export interface PosterOptions {
  readonly outbox: OutboxStore;
  readonly pauses: SlackPauses;
  readonly client: WebClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** SLACK_ALERT_CHANNEL: a missing or archived alert channel is a setup problem. */
  readonly alertChannel: string;
  /** The kinds this process delivers; items of other kinds are left to others. */
  readonly kinds: Readonly<Record<string, KindHandler>>;
  /**
   * Run at the start of each pass: they queue what has become due (alerts, their growth), each
   * until `enough` says so, and say whether more is left (then run again on a later turn).
   */
  readonly producers?: ReadonlyArray<(enough: () => boolean) => boolean>;
  /** Restricts which items this poster takes (the CLI delivers only what it queued). */
  readonly only?: ClaimOptions["only"];
  /** Told of each message's outcome: its kind and `ok`, `found` or the error code. */
  readonly onSent?: (kind: string, result: string) => void;
  /**
   * This process holds the database's instance lock (the bot): a claim of an earlier holder is
   * taken back at once, whatever its host or pid (see ownerAlive).
   */
  readonly holdsInstanceLock?: boolean;
  /**
   * A one-shot command (digest --post) that says a setup problem itself and fails what it queued:
   * the outbox's own line of it is at debug level, lest it say the messages stay queued.
   */
  readonly oneShot?: boolean;
}
