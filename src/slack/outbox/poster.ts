import type { Claim, ClaimOptions, OutboxItem } from "../../domain/outbox.js";
import type { Logger } from "../../logger.js";
import { storeProblem } from "../../store/errors.js";
import { nextTurn, timeBox } from "../../wait.js";
import type { MethodError } from "../client.js";
import { classifySlackError, failureLabel } from "../failure.js";
import type { PostKind } from "../setup-codes.js";
import { AlertChannelCheck } from "./alert-channel.js";
import { methodsOf, newOwner, ownerAlive, postMethods, randomId } from "./claims.js";
import { findSent } from "./lookup.js";
import { LOOK_UP_AFTER_MS, nextStep, pastDeadline } from "./next-step.js";
import type { PosterOptions } from "./poster-options.js";
import { failedWords, sendPlainInstead } from "./refused.js";
import { channelOf, type Sent, sendItem } from "./send.js";
import { targetOf } from "./target.js";
import { TokenCheck } from "./token-check.js";
import { type PosterHealth, Trouble } from "./trouble.js";
import { OutboxWatch, type Outcome, pausedNow, type Watches, waiting } from "./watch.js";

/** About one message a second per channel (Slack: chat.postMessage, short bursts tolerated). */
const SPACING_MS = 1_000;
/** A claim's lease: longer than any one message's calls (a 15 s timeout, three for a file). */
const LEASE_MS = 2 * 60_000;
/** Waits shorter than this (a channel's pace) are waited within a pass. */
const INLINE_WAIT_MS = 2 * SPACING_MS;
/** The loop wakes at least this often: items queued by other processes are seen within it. */
const IDLE_MS = 1_000;
/**
 * A transient failure holds its destination at most this long, not for the item's whole backoff:
 * the destination's most urgent item then tries, so a message failing on its own (a digest a
 * gateway refuses) keeps an alert behind it waiting a minute, not fifteen, and an outage is still
 * probed by one message a minute.
 */
const HOLD_MAX_MS = 60_000;

/**
 * The one delivery path to Slack. Each item is claimed in the database with a lease before it is
 * sent, so no two processes send it; an attempt whose outcome is unknown is looked up (this app's
 * messages only, by the attempt's nonce) before it is sent again; each destination gets about one
 * message a second; a 429 pauses the method for the workspace; transient failures back off; setup
 * problems keep items queued and say what to do; an item not sent by its deadline, whatever held
 * it back, is given up; a refusal fails the item alone, with its reason.
 */
export class SlackPoster implements Watches {
  readonly owner: string;
  private readonly log: Logger;
  private readonly kinds: ReadonlySet<string>;
  private readonly trouble: Trouble;
  private readonly alertChannel: AlertChannelCheck;
  private readonly token: TokenCheck;
  private readonly watching: OutboxWatch;
  private wake: (() => void) | undefined;

  constructor(private readonly o: PosterOptions) {
    this.owner = newOwner(o.holdsInstanceLock);
    this.log = o.logger.child({ component: "outbox" });
    this.kinds = new Set(Object.keys(o.kinds));
    const waits = (to: string, post: PostKind) => o.outbox.waitingTo(to, post === "reply");
    this.trouble = new Trouble(this.log, o.clock, waits, o.oneShot === true);
    const { client, alertChannel: channel, clock } = o;
    const { trouble, log } = this;
    this.alertChannel = new AlertChannelCheck({ client, channel, clock, trouble, log });
    this.token = new TokenCheck({ client, clock, trouble, log, pauses: o.pauses });
    this.watching = new OutboxWatch({ clock, logger: log });
  }

  /** Tells `tell` what becomes of item `id` when this poster tries it (see OutboxWatch). */
  watch(id: number, tell: (outcome: Outcome) => void): void {
    this.watching.add(id, tell, () => pausedNow(this.o.outbox.get(id), this.o.pauses));
  }

  health(): PosterHealth & ReturnType<AlertChannelCheck["health"]> {
    return { ...this.trouble.health(), ...this.alertChannel.health() };
  }

  /**
   * Checks the bot token and learns who the app is (its own messages are found by it), then
   * looks at the alert channel; false: the token does not work. The channel is then looked at
   * from drain(), once the token check it makes again succeeds.
   */
  async verify(): Promise<boolean> {
    if (!(await this.token.check())) {
      this.alertChannel.later();
      return false;
    }
    await this.alertChannel.check();
    return true;
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
    this.trouble.begin();
    // Each on its own: a look-up due each minute (the bot not in the channel) never holds back
    // the token's check, which alone tells a token revoked since.
    if (this.token.due()) await this.token.check();
    if (this.alertChannel.due())
      await (this.token.identity ? this.alertChannel.check() : this.verify());
    // One organization's producer failing (a database error, an alert it cannot render) holds
    // back neither the others' alerts nor what is queued already: said, and tried next pass.
    for (const produce of this.o.producers ?? []) {
      try {
        while (produce(timeBox()) && !signal?.aborted) await nextTurn();
      } catch (error) {
        this.trouble.store(error);
      }
    }
    while (!signal?.aborted) {
      let claim: Claim;
      try {
        claim = this.o.outbox.claimNext(this.claimOptions());
      } catch (error) {
        this.trouble.store(error);
        break;
      }
      this.trouble.claimed();
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
      lookUpAfterMs: LOOK_UP_AFTER_MS,
      spacingMs: SPACING_MS,
      kinds: this.kinds,
      blocked: (item) => methodsOf(item).some((m) => paused.has(m)),
      alive: (owner) => ownerAlive(owner, this.o.holdsInstanceLock),
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
    let step: "look-up" | "send" = "send";
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
      const late = pastDeadline(item, this.o.clock.now());
      if (late !== undefined) {
        this.end(item, "failed", late);
        const said = { item: item.id, kind: item.kind, code: item.lastError };
        this.log.error(said, failedWords(item, "", { refused: false, reason: late }));
        return 0;
      }
      const nonce = item.nonces.at(-1) ?? randomId();
      const sent = await sendItem(this.o.client, item, nonce, this.opened(item));
      this.recordSent(item, sent, "ok");
      return 1;
    } catch (error) {
      try {
        this.failedItem(item, error, step);
      } catch (recording) {
        this.trouble.store(recording);
      }
      return 0;
    }
  }

  private async lookUp(item: OutboxItem): Promise<Sent | undefined> {
    // A view is published again rather than looked for: the second time shows the same.
    if (item.method === "views.publish") return undefined;
    const me = this.token.identity ?? (await this.token.identify());
    const channel = await channelOf(this.o.client, item, this.opened(item));
    const direct = targetOf(item).direct;
    return findSent(this.o.client, item, channel, me, (method) =>
      this.trouble.answered(method, direct),
    );
  }

  /** The direct message's channel was opened: kept, and a scope conversations.open lacked is back. */
  private opened(item: OutboxItem): (channel: string) => void {
    return (channel) => {
      this.o.outbox.setChannel(item.id, channel);
      this.trouble.answered("conversations.open", true);
    };
  }

  private recordSent(item: OutboxItem, sent: Sent, result: "ok" | "found"): void {
    const now = this.o.clock.now();
    const handler = this.o.kinds[item.kind];
    this.o.outbox.atomically(() => {
      if (this.o.outbox.delivered(item.id, this.owner, sent, now))
        handler?.delivered?.(item, sent, now);
    });
    this.o.onSent?.(item.kind, result);
    this.watching.told(item.id, { kind: "sent" });
    this.token.proven();
    this.trouble.over(targetOf(item), result === "ok" ? postMethods(item) : []);
  }

  private end(item: OutboxItem, state: "failed" | "dropped", reason: string): void {
    const now = this.o.clock.now();
    const handler = this.o.kinds[item.kind];
    this.o.outbox.atomically(() => {
      if (!this.o.outbox.settle(item.id, this.owner, state, reason, now)) return;
      if (state === "dropped") handler?.dropped?.(item, reason, now);
      else handler?.failed?.(item, reason, now);
    });
    this.trouble.wrote();
    const outcome = state === "failed" ? { kind: state, reason, of: item.kind } : { kind: state };
    this.watching.told(item.id, outcome);
  }

  /** What a failed attempt means for the item: wait, retry, keep for the operator, or fail it. */
  private failedItem(item: OutboxItem, error: unknown, step: "look-up" | "send"): void {
    if (storeProblem(error)) {
      this.trouble.store(error);
      return;
    }
    const failure = classifySlackError(error, item.channel === this.o.alertChannel);
    const method = (error as MethodError).slackMethod ?? methodsOf(item)[0] ?? item.method;
    const now = this.o.clock.now();
    if (failure.kind !== "paused") this.o.onSent?.(item.kind, failureLabel(failure));
    const pause = this.o.pauses.holding(method);
    const next = nextStep(failure, item, { now, step, pausedUntil: pause?.until });
    try {
      if (next.kind === "fail") {
        const plain = { ...this.o, log: this.log, owner: this.owner, now };
        if (next.refused && sendPlainInstead(plain, item, failure.code)) {
          this.trouble.wrote();
          return;
        }
        this.end(item, "failed", next.reason);
        if (next.refused) this.trouble.answered(method, targetOf(item).direct);
        const said = { item: item.id, kind: item.kind, code: failure.code };
        this.log.error(said, failedWords(item, failure.code, next));
        return;
      }
      const { outbox } = this.o;
      const setup = next.kind === "setup";
      const at = setup ? this.o.pauses.setupFailed(method, failure.code) : next.at;
      const { uncertain } = next;
      outbox.retry(item.id, this.owner, at, {
        uncertain,
        error: failure.code,
        free: setup || next.free,
      });
      if (!setup && next.hold) outbox.hold(item.destination, Math.min(at, now + HOLD_MAX_MS));
      this.trouble.wrote();
      this.watching.told(item.id, waiting(failure, pause, at));
    } catch (storeError) {
      this.trouble.store(storeError);
      return;
    }
    this.trouble.slack(failure, method, this.o.pauses.waitSeconds(method), targetOf(item));
  }
}
