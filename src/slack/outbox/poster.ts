import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { WebClient } from "@slack/web-api";
import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import { storeProblem } from "../../store/errors.js";
import type { Claim, ClaimOptions, OutboxItem, OutboxStore } from "../../store/outbox.js";
import { capWait, MAX_WAIT_MS } from "../../wait.js";
import type { MethodError } from "../client.js";
import { classifySlackError, type SlackFailure } from "../failure.js";
import { findSent, type SlackIdentity } from "./lookup.js";
import type { SlackPauses } from "./pauses.js";
import { channelOf, type Sent, sendItem } from "./send.js";

/** What a kind of message needs done once it is sent or has failed, and when not to send it. */
export interface KindHandler {
  /** Runs in the transaction that records the delivery. */
  delivered?(item: OutboxItem, sent: Sent, now: number): void;
  /** Runs in the transaction that records a failure (Slack refused it, or it gave up). */
  failed?(item: OutboxItem, reason: string, now: number): void;
  /** A reason not to send it any more (a reminder of an alert handled meanwhile): it is dropped. */
  stale?(item: OutboxItem): string | undefined;
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
  /** Run at the start of each pass: they queue what has become due (alerts, their growth). */
  readonly producers?: ReadonlyArray<() => void>;
  /** Restricts which items this poster takes (the CLI delivers only what it queued). */
  readonly only?: ClaimOptions["only"];
  /** Told of each message's outcome: its kind and `ok`, `found` or the error code. */
  readonly onSent?: (kind: string, result: string) => void;
}

export interface PosterHealth {
  /** The last failure, until a message gets through; `advice` is set for setup problems. */
  readonly lastError: {
    readonly code: string;
    readonly advice: string | null;
    readonly at: number;
  } | null;
}

/** About one message a second per channel (Slack: chat.postMessage, short bursts tolerated). */
export const SPACING_MS = 1_000;
/** A claim's lease: longer than any one message's calls (a 15 s timeout, three for a file). */
const LEASE_MS = 2 * 60_000;
/** Waits shorter than this (a channel's pace) are waited within a pass. */
const INLINE_WAIT_MS = 2 * SPACING_MS;
/** The loop wakes at least this often: items queued by other processes are seen within it. */
const IDLE_MS = 1_000;

const randomId = () => randomBytes(6).toString("hex");

/** Whether the process that holds a claim still runs (only known for processes of this host). */
function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.split(":");
  if (host !== hostname() || !pid) return true;
  const id = Number(pid);
  if (id === process.pid) return true;
  try {
    process.kill(id, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * The one delivery path to Slack. Each item is claimed in the database with a lease before it is
 * sent, so no two processes send it; an attempt whose outcome is unknown is looked up (this app's
 * messages only, by the attempt's nonce) before it is sent again; each destination gets about one
 * message a second; a 429 pauses the method for the workspace; transient failures back off until
 * the item's deadline; setup problems keep items queued and say what to do; a refusal fails the
 * item alone, with its reason.
 */
export class SlackPoster {
  readonly owner = `${hostname()}:${process.pid}:${randomId()}`;
  private readonly log: Logger;
  private readonly kinds: ReadonlySet<string>;
  private identity: SlackIdentity | undefined;
  private lastError: PosterHealth["lastError"] = null;
  private readonly reported = new Set<string>();
  private wake: (() => void) | undefined;

  constructor(private readonly o: PosterOptions) {
    this.log = o.logger.child({ component: "outbox" });
    this.kinds = new Set(Object.keys(o.kinds));
  }

  health(): PosterHealth {
    return { lastError: this.lastError };
  }

  /** Checks the bot token and learns who the app is (its own messages are found by it). */
  async verify(): Promise<boolean> {
    try {
      const me = await this.o.client.auth.test();
      this.identity = { botId: me.bot_id, userId: me.user_id };
      this.log.info(
        { team: me.team, botUserId: me.user_id },
        `Slack: connected to ${me.team ?? "the workspace"}`,
      );
      return true;
    } catch (error) {
      this.failedCall(classifySlackError(error), undefined);
      return false;
    }
  }

  /** Delivers until `signal` aborts; `kick()` wakes it at once. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.drain(signal);
      const kicked = new AbortController();
      this.wake = () => kicked.abort();
      // Items due but held by a pause wait for the next tick: never a busy loop.
      const wait = this.untilDue();
      await this.o.clock.sleep(wait, AbortSignal.any([signal, kicked.signal]));
      this.wake = undefined;
    }
  }

  /** How long to sleep: until the next retry falls due, at most a tick. */
  private untilDue(): number {
    const now = this.o.clock.now();
    try {
      const due = this.o.outbox.nextAttemptAfter(now) ?? Number.POSITIVE_INFINITY;
      return Math.min(IDLE_MS, Math.max(10, due - now));
    } catch {
      return IDLE_MS; // the database is busy: drain() reports it
    }
  }

  /** Something was queued: deliver it now rather than at the next tick. */
  kick(): void {
    this.wake?.();
  }

  /** Everything due now (waiting out a channel's pace). Returns how many messages were sent. */
  async drain(signal?: AbortSignal): Promise<number> {
    let sent = 0;
    try {
      for (const produce of this.o.producers ?? []) produce();
    } catch (error) {
      this.failedStore(error);
      return 0;
    }
    while (!signal?.aborted) {
      let claim: Claim;
      try {
        claim = this.o.outbox.claimNext(this.claimOptions());
      } catch (error) {
        this.failedStore(error);
        break;
      }
      if (claim.item) {
        sent += await this.deliver(claim.item);
        continue;
      }
      const wait = (claim.pacedUntil ?? Number.POSITIVE_INFINITY) - this.o.clock.now();
      if (wait > INLINE_WAIT_MS) break;
      await this.o.clock.sleep(Math.max(1, wait), signal);
    }
    return sent;
  }

  private claimOptions(): ClaimOptions {
    const paused = new Set(this.o.pauses.active().map((p) => p.method));
    return {
      now: this.o.clock.now(),
      owner: this.owner,
      nonce: randomId(),
      leaseMs: LEASE_MS,
      spacingMs: SPACING_MS,
      kinds: this.kinds,
      blocked: (item) => methodsOf(item).some((m) => paused.has(m)),
      alive: ownerAlive,
      only: this.o.only,
    };
  }

  /** One claimed item: looked up first when an attempt may have reached Slack, then sent. */
  private async deliver(item: OutboxItem): Promise<number> {
    const handler = this.o.kinds[item.kind] ?? {};
    if (item.parentLost) {
      this.end(item, "failed", "its thread or message was never posted");
      return 0;
    }
    let step = "send";
    try {
      if (item.uncertain) {
        step = "look-up";
        const found = await this.lookUp(item);
        if (found) {
          this.recordSent(item, found, "found");
          this.log.info(
            { item: item.id, kind: item.kind, ts: found.ts },
            `${item.kind} message was already posted before a restart; recorded it`,
          );
          return 0;
        }
        step = "send";
      }
      const stale = handler.stale?.(item);
      if (stale !== undefined) {
        this.end(item, "dropped", stale);
        this.log.info({ item: item.id, kind: item.kind }, `${item.kind} not sent: ${stale}`);
        return 0;
      }
      const nonce = item.nonces.at(-1) ?? randomId();
      const opened = (channel: string) => this.o.outbox.setChannel(item.id, channel);
      const sent = await sendItem(this.o.client, item, nonce, opened);
      this.recordSent(item, sent, "ok");
      return 1;
    } catch (error) {
      this.failedItem(item, error, step);
      return 0;
    }
  }

  private async lookUp(item: OutboxItem): Promise<Sent | undefined> {
    if (!this.identity && !(await this.verify())) throw new Error("auth.test failed");
    const me = this.identity ?? { botId: undefined, userId: undefined };
    const opened = (channel: string) => this.o.outbox.setChannel(item.id, channel);
    const channel = await channelOf(this.o.client, item, opened);
    return findSent(this.o.client, item, channel, me);
  }

  private recordSent(item: OutboxItem, sent: Sent, result: "ok" | "found"): void {
    const now = this.o.clock.now();
    const handler = this.o.kinds[item.kind];
    this.o.outbox.atomically(() => {
      if (this.o.outbox.delivered(item.id, this.owner, sent, now))
        handler?.delivered?.(item, sent, now);
    });
    this.o.onSent?.(item.kind, result);
    if (this.lastError)
      this.log.info({ previous: this.lastError.code }, "Slack delivery works again");
    this.lastError = null;
    this.reported.clear();
  }

  private end(item: OutboxItem, state: "failed" | "dropped", reason: string): void {
    const now = this.o.clock.now();
    const handler = this.o.kinds[item.kind];
    this.o.outbox.atomically(() => {
      if (this.o.outbox.settle(item.id, this.owner, state, reason, now))
        handler?.failed?.(item, reason, now);
    });
  }

  /** What a failed attempt means for the item: wait, retry, keep for the operator, or fail it. */
  private failedItem(item: OutboxItem, error: unknown, step: string): void {
    if (storeProblem(error)) {
      this.failedStore(error);
      return;
    }
    const toAlertChannel = item.destination === this.o.alertChannel;
    const failure = classifySlackError(error, toAlertChannel);
    const method = (error as MethodError).slackMethod ?? methodsOf(item)[0] ?? item.method;
    const now = this.o.clock.now();
    const { outbox } = this.o;
    if (failure.kind !== "paused") this.o.onSent?.(item.kind, failure.code);
    try {
      if (failure.kind === "rejected") {
        this.end(item, "failed", failure.code);
        this.log.error(
          { item: item.id, kind: item.kind, code: failure.code },
          `Slack refused ${/^[aeiou]/.test(item.kind) ? "an" : "a"} ${item.kind} message for good (${failure.code}); it is kept in the database with the reason`,
        );
        return;
      }
      if (failure.kind !== "setup" && item.deadline !== null && now >= item.deadline) {
        const reason = `gave up at its deadline after ${item.attempts} attempts: ${failure.code}`;
        this.end(item, "failed", reason);
        this.log.error(
          { item: item.id, kind: item.kind },
          `${item.kind} message not sent: ${reason}`,
        );
        return;
      }
      if (failure.kind === "setup") {
        const until = this.o.pauses.setupFailed(method, failure.code);
        outbox.retry(item.id, this.owner, until, {
          uncertain: false,
          error: failure.code,
          free: true,
        });
      } else if (failure.kind === "transient") {
        const uncertain = failure.maybeSent && step === "send" && item.method !== "chat.update";
        const wait = capWait(1000 * 2 ** Math.min(20, item.attempts - 1)).ms;
        outbox.retry(item.id, this.owner, now + wait, { uncertain, error: failure.code });
        outbox.hold(item.destination, now + wait);
      } else {
        const until = this.o.pauses.holding(method)?.until ?? now + SPACING_MS;
        const free = failure.kind === "paused";
        outbox.retry(item.id, this.owner, until, { uncertain: false, error: failure.code, free });
      }
    } catch (storeError) {
      this.failedStore(storeError);
      return;
    }
    this.failedCall(failure, method);
  }

  /** Says once per kind of trouble what happened and what to do; kept for /healthz. */
  private failedCall(failure: SlackFailure, method: string | undefined): void {
    const at = this.o.clock.now();
    if (failure.kind === "paused") return;
    this.lastError = { code: failure.code, advice: failure.advice ?? null, at };
    const pause = this.o.pauses.active().find((p) => p.method === method);
    const seconds = Math.round(
      Math.min(MAX_WAIT_MS, Math.max(0, (pause?.until ?? at) - at)) / 1000,
    );
    const line =
      failure.kind === "setup"
        ? `Slack refused to post (${failure.code}): ${failure.advice}. Messages stay queued.`
        : failure.kind === "rate-limited"
          ? `Slack rate-limited ${method ?? "a call"} for ${seconds} s, for the whole workspace. Messages stay queued.`
          : `Slack delivery failed (${failure.code}); retrying with backoff. Messages stay queued.`;
    if (this.reported.has(failure.code)) {
      this.log.debug({ code: failure.code }, line);
      return;
    }
    this.reported.add(failure.code);
    const level = failure.kind === "setup" ? "error" : "warn";
    this.log[level]({ code: failure.code, method }, line);
  }

  /** A database problem (disk full, locked) or a bug: nothing can be recorded, so nothing is sent. */
  private failedStore(error: unknown): void {
    const problem = storeProblem(error);
    const code = problem?.code ?? "internal";
    this.lastError = { code, advice: null, at: this.o.clock.now() };
    if (this.reported.has(code)) return;
    this.reported.add(code);
    if (problem)
      this.log.error(
        { code },
        `Slack messages cannot be delivered: ${problem.message}. They stay queued.`,
      );
    else this.log.error({ err: error }, "the outbox failed unexpectedly; messages stay queued");
  }
}

/** The Web API methods an item calls: its pause holds it back when any of them is paused. */
export function methodsOf(item: Pick<OutboxItem, "method" | "userId">): string[] {
  if (item.method === "files.upload")
    return ["files.getUploadURLExternal", "files.completeUploadExternal"];
  return item.userId ? [item.method, "conversations.open"] : [item.method];
}
