import type { Clock } from "../clock.js";
import type { ExportStop } from "../domain/export.js";
import type { ToolCatalogue } from "../ingest/tools.js";
import type { Logger } from "../logger.js";
import type { ExportStore } from "../store/export.js";
import { isoOrNull } from "../time-units.js";
import { capWait } from "../wait.js";
import { type HandledFailure, Loop } from "../workers/worker.js";
import { BATCH_RECORDS, buildBatch } from "./batch.js";
import type { Delivery } from "./client.js";
import type { ExportCounters } from "./metrics.js";
import { DATABASE, RECEIVER, Retries } from "./retries.js";
import { UnsavedPositions } from "./unsaved.js";

export interface ExporterOptions {
  readonly store: ExportStore;
  readonly client: {
    post(body: string, signal?: AbortSignal): Promise<Delivery>;
    /** Cuts EXPORT_URL's path out of a text. */
    redact?(text: string): string;
  };
  /** The organizations exported, each in its own order. */
  readonly orgIds: readonly string[];
  /**
   * The receiver's fingerprint (sign.ts): a stop met with another one is lifted, and a delivery to
   * another one is not this one's last.
   */
  readonly target: string;
  /** The receiver's origin, for the log and /healthz (the URL's path may carry a token). */
  readonly origin: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly counters?: ExportCounters;
  readonly batchRecords?: number;
  readonly random?: () => number;
  /** The tool catalogue the bot classifies with (the rules file's tools with the shipped ones). */
  readonly tools?: ToolCatalogue;
}

/** The wait between passes once everything is delivered. */
const IDLE_MS = 5_000;

const NOTHING_LEFT = "export: nothing is left to send again; the retry is over";

const RESUME_HINT =
  "nothing more is sent (records keep waiting in the database) until EXPORT_URL or EXPORT_SECRET changes and the bot restarts, or `mcp-activity export --resume` is run";

/**
 * The SIEM export as a worker: for each organization in turn, the next batch of MCP events and
 * alert changes after its positions (first the events queued to be sent again), POSTed signed; the
 * positions move only after a 2xx (not a web page). A 429, a 5xx or a network error waits
 * (Retry-After, else backoff), then the batch is read again from the same positions: the same
 * records first, and any stored since. Any other answer stops the export, persistently, until
 * the operator acts.
 */
export class Exporter {
  readonly worker: Loop;
  private waitMs: number;
  private readonly retries: Retries;
  /** When the receiver last took a batch in this run; before, as the database keeps it for it. */
  private lastDeliveryAt: number | null = null;
  private readonly logger: Logger;
  private readonly unsaved: UnsavedPositions;
  /** The organizations' positions recorded (ExportStore.begin). */
  private begun = false;

  constructor(private readonly o: ExporterOptions) {
    this.logger = o.logger.child({ component: "export" });
    this.unsaved = new UnsavedPositions(o.store, o.target);
    this.retries = new Retries(o.random ?? Math.random);
    this.waitMs = IDLE_MS;
    this.worker = new Loop({
      name: "export",
      clock: o.clock,
      logger: this.logger,
      pass: (signal) => this.pass(signal),
      every: () => this.waitMs,
      failure: "export failed",
    });
  }

  /** A stop met with another receiver or secret says nothing about this one. */
  private liftStopOfAnotherTarget(): void {
    const stop = this.o.store.stopped();
    if (stop && stop.target !== this.o.target && this.o.store.resume())
      this.logger.info(
        { stoppedAt: isoOrNull(stop.at) },
        `export resumed: EXPORT_URL or EXPORT_SECRET changed since the receiver refused a batch (${this.redacted(stop).reason})`,
      );
  }

  async pass(signal: AbortSignal): Promise<HandledFailure | undefined> {
    this.waitMs = IDLE_MS;
    // At each pass until it is written, not once at start: a database that cannot be written now
    // (locked, full) may be at the next pass, and the export goes on meanwhile.
    if (!this.begun)
      try {
        this.o.store.begin(this.o.orgIds);
        this.begun = true;
      } catch (error) {
        this.logger.debug({ err: error }, "export: the organizations' positions not recorded yet");
      }
    this.liftStopOfAnotherTarget();
    const stop = this.o.store.stopped();
    if (stop) return { failed: stoppedMessage(this.redacted(stop)) };
    const due = (key: string) => this.retries.due(key, this.o.clock.now());
    const asked = due(DATABASE) && this.saved() && due(RECEIVER);
    let more = asked;
    // The receiver's wait this pass asks past, if any: one the pass sets anew is another object.
    const receiverWait = asked ? this.retries.get(RECEIVER) : undefined;
    // Whether every organization's batch was empty: nothing at all is left to send again.
    let empty = true;
    while (more && !signal.aborted) {
      more = false;
      for (const orgId of this.o.orgIds) {
        if (!due(orgId)) {
          empty = false;
          continue;
        }
        const outcome = await this.sendNext(orgId, signal);
        if (outcome !== "none") empty = false;
        if (outcome === "sent") more = true;
        else if (outcome === "wait") {
          more = false;
          break;
        } else if (outcome !== "none" && outcome !== "retry") return outcome;
      }
    }
    // A wait of the receiver as a whole that this pass went through without renewing it is past
    // (nothing was left to send, or only organizations whose own retry is not due, or whose
    // batch failed alone): kept, it would be due at every pass, and the next pass would come at
    // once, again and again. Its failure stays said until a batch goes (Retries.delivered) or
    // nothing is left to send: then it is over, said when its wait ends so (an organization's
    // retry ending says it of a wait past before). One the pass renewed stands, however soon due.
    const renewed = this.retries.get(RECEIVER) !== receiverWait;
    if (asked && !renewed && !signal.aborted) {
      if (!empty) this.retries.passed(RECEIVER);
      else if (this.retries.over(RECEIVER) && receiverWait) this.logger.info(NOTHING_LEFT);
    }
    // Until every organization's records went, the export is failing: the next pass comes when
    // the receiver may be asked again or the positions saved, or the first organization's retry is due.
    const now = this.o.clock.now();
    const waiting = this.retries.waiting(now);
    if (!waiting) {
      // Nothing to retry and no stop: nothing fails, also when a stop lifted by
      // `export --resume` found nothing left to send.
      this.retries.lastError = null;
      return undefined;
    }
    const until = Math.max(0, waiting.retry.at - now);
    this.waitMs = waiting.all ? until : Math.min(IDLE_MS, until);
    return { failed: waiting.retry.reason };
  }

  /**
   * Whether the positions the receiver acknowledged are saved. A write that fails is tried again
   * with backoff, nothing more sent meanwhile (the batch again and again would be duplicates);
   * said once while it lasts, and its end.
   */
  private saved(): boolean {
    const error = this.unsaved.save();
    const now = this.o.clock.now();
    if (!error) {
      if (this.retries.over(DATABASE))
        this.logger.info("export: the delivered positions are saved again");
      return true;
    }
    const { attempt, backoff: wait } = this.retries.next(DATABASE);
    const reason = `the receiver took the records, but where they reach could not be saved: ${error.message}`;
    this.retries.set(DATABASE, { at: now + wait, attempt, reason }, now);
    const level = this.retries.saidBefore(DATABASE, error.message) ? "debug" : "warn";
    this.logger[level](
      { err: error, attempt, waitMs: wait },
      `export: ${reason}; saving it again in ${Math.ceil(wait / 1000)} s, and with backoff until it is, before sending more`,
    );
    return false;
  }

  /** A stop as shown: one kept by an earlier release may quote EXPORT_URL's path. */
  private redacted(stop: ExportStop): ExportStop {
    return { ...stop, reason: this.o.client.redact?.(stop.reason) ?? stop.reason };
  }

  /** One batch of the organization: sent, nothing to send, or why it failed. */
  private async sendNext(
    orgId: string,
    signal: AbortSignal,
  ): Promise<"sent" | "none" | "retry" | "wait" | HandledFailure> {
    const { store, clock } = this.o;
    const from = store.positions(orgId);
    const read = store.next(orgId, from, this.o.batchRecords ?? BATCH_RECORDS, this.o.tools);
    const batch = buildBatch(from, [...read.again, ...read.events], read.changes);
    if (!batch) {
      // What a retry was to send again is no longer to be sent (reclassified, deleted).
      if (this.retries.over(orgId)) this.logger.info({ orgId }, NOTHING_LEFT);
      return "none";
    }
    const delivery = await this.o.client.post(batch.body, signal);
    // Stopping cut the POST short: the records go again at the next start.
    if (signal.aborted && delivery.kind !== "delivered") return "none";
    const now = clock.now();
    if (delivery.kind === "delivered") {
      this.unsaved.hold(orgId, batch.to, now, batch.sent);
      this.o.counters?.delivered(orgId, batch.events, batch.alerts);
      this.lastDeliveryAt = now;
      if (this.retries.delivered(orgId))
        this.logger.info({ orgId }, "export: the receiver takes records again");
      return this.saved() ? "sent" : "wait";
    }
    this.o.counters?.failed(delivery.kind);
    if (delivery.kind === "retry") {
      const key = delivery.receiverWide ? RECEIVER : orgId;
      const { attempt, backoff } = this.retries.next(key);
      // Never sooner than the backoff: a Retry-After of 0, or a date past, would be a busy loop.
      const wait = capWait(Math.max(delivery.waitMs ?? 0, backoff));
      this.retries.set(key, { at: now + wait.ms, attempt, reason: delivery.reason }, now);
      // Said once while it lasts (a receiver down for hours is retried every 30 s).
      const what = delivery.reason.split(":")[0] ?? delivery.reason;
      const level = this.retries.saidBefore(key, what) ? "debug" : "warn";
      this.logger[level](
        { orgId, attempt, waitMs: wait.ms, receiver: this.o.origin },
        `export: ${delivery.reason}; sending again in ${Math.ceil(wait.ms / 1000)} s the same records first, and any stored since, and from then on with backoff until it takes them`,
      );
      return delivery.receiverWide ? "wait" : "retry";
    }
    this.retries.lastError = { message: delivery.reason, at: now };
    const stop = { target: this.o.target, at: now, reason: delivery.reason };
    store.stop(stop);
    this.logger.error(
      { orgId, status: delivery.status, receiver: this.o.origin },
      `export stopped: ${delivery.reason}. Check EXPORT_URL, EXPORT_SECRET and the receiver; ${RESUME_HINT}`,
    );
    return { failed: stoppedMessage(stop) };
  }

  /** The `export` section of /healthz. */
  section() {
    const { store, clock } = this.o;
    const now = clock.now();
    const kept = store.stopped();
    const stop = kept && this.redacted(kept);
    return {
      ok: stop === undefined && this.retries.lastError === null,
      receiver: this.o.origin,
      stopped: stop ? { at: isoOrNull(stop.at), reason: stop.reason, resume: RESUME_HINT } : null,
      lastDeliveryAt: isoOrNull(
        this.lastDeliveryAt ?? store.lastDeliveredAt(this.o.orgIds, this.o.target),
      ),
      lastError: this.lastError(),
      organizations: this.lag(now).map(({ orgId, seconds }) => ({
        orgId,
        lagSeconds: seconds,
        delivered: store.positions(orgId),
      })),
    };
  }

  /** Per organization: how long the oldest record not yet delivered has waited, in seconds. */
  lag(now = this.o.clock.now()): Array<{ orgId: string; seconds: number }> {
    return this.o.orgIds.map((orgId) => {
      const oldest = this.o.store.oldestPendingAt(orgId);
      return {
        orgId,
        seconds: oldest === null ? 0 : Math.max(0, Math.round((now - oldest) / 1000)),
      };
    });
  }

  /** The last failure, as /healthz shows it. */
  private lastError() {
    const error = this.retries.lastError;
    return error && { ...error, at: isoOrNull(error.at) };
  }

  stopped(): boolean {
    return this.o.store.stopped() !== undefined;
  }
}

function stoppedMessage(stop: ExportStop): string {
  return `export stopped since ${isoOrNull(stop.at)}: ${stop.reason}`;
}
