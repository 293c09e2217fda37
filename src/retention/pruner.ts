import type { Clock } from "../clock.js";
import { DEFAULT_RULES_FILE, type RulesFile } from "../detect/rules-file.js";
import type { Logger } from "../logger.js";
import type { Repositories } from "../store/repositories.js";
import { START } from "../store/retention.js";
import { FIRST_ALERT } from "../store/unposted-alerts.js";
import { DAY } from "../time-units.js";
import { nextTurn } from "../wait.js";
import { counted } from "../words.js";
import { Loop, type Worker } from "../workers/worker.js";
import { retentionCut } from "./cut.js";
import { forgetFormerNames } from "./former-names.js";
import { longerOnceDays } from "./once-subjects.js";
import { organizationCut, warnHeldBack } from "./organization-cut.js";
import { forgetUnusedText } from "./unused-text.js";

/** Messages sent (or given up) this long ago leave the outbox; their alerts keep where they are. */
const OUTBOX_DAYS = 30;
/**
 * Rows per delete: a few milliseconds of work on a store of a million events (`npm run bench --
 * retention`), so the poller and Slack handlers wait no longer.
 */
const PRUNE_BATCH = 200;
/** Blocks that lost events rewritten per turn (each decoded and deflated again, ~1 ms). */
const BLOCKS_A_TURN = 5;
/** Tries at emptying the write-ahead log, while another process reads: every 5 s for 5 minutes. */
const LOG_TRIES = 60;
const LOG_RETRY_MS = 5_000;

export interface PrunerOptions {
  readonly stores: Pick<
    Repositories,
    | "retention"
    | "formerNames"
    | "outbox"
    | "export"
    | "unusedStrings"
    | "prunedBefore"
    | "emptyLog"
    | "unpostedAlerts"
    | "pollStates"
    | "subjects"
  >;
  /**
   * The rules as the rules file sets them (the defaults when not given): a `once` rule's onceDays
   * may keep its subjects known longer than the retention.
   */
  readonly rules?: RulesFile["rules"];
  /**
   * The organizations the SIEM export delivers, when it is on: their MCP events it has not
   * delivered yet are kept, whatever their age. Others (no longer watched) are pruned as usual.
   */
  readonly exporting?: ReadonlySet<string>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retentionDays: number;
  readonly batchSize?: number;
  /**
   * Empties the write-ahead log: through the checkpointer, whose thread copies it first (see
   * Checkpointer.emptyLog); without one, the connection alone (`stores.emptyLog`).
   */
  readonly emptyLog?: () => boolean | Promise<boolean>;
  /**
   * Waits between batches, now and then, for the checkpointer's thread to copy what they wrote
   * (see Checkpointer.keepUp): the log of a first pass deleting a year stays small.
   */
  readonly keepUp?: () => Promise<void>;
}

export interface PruneResult {
  /** RETENTION_DAYS before the pass began: an organization's events may be cut earlier (organizationCut). */
  readonly before: number;
  readonly events: number;
  /** Alerts nobody saw (never posted, never touched) older than the retention, deleted. */
  readonly alerts: number;
  readonly quarantined: number;
  readonly batches: number;
  /** MCP events older than the retention kept until the SIEM export delivers them. */
  readonly keptForExport: number;
  /** Texts (names, e-mails, account ids…) no row refers to any more, deleted; null: not tried. */
  readonly forgotten: number | null;
  /** Whether the write-ahead log was emptied at the end (see emptyLog). */
  readonly logEmptied: boolean;
}

/** Prunes what is older than RETENTION_DAYS: at start, then once a day. */
export class Pruner {
  private readonly batchSize: number;
  private readonly logger: Logger;
  /** Whether this process's first pass trimmed the blocks of old events kept (see trimOldBlocks). */
  private trimmedOldBlocks = false;
  /** A pass's look for unused text gave way to another process: the next looks again. */
  private sweepOwed = false;
  /** Between two batches of deletes: a turn of the event loop, and the checkpointer kept up with. */
  private readonly pause = async (): Promise<void> => {
    await nextTurn();
    await this.o.keepUp?.();
  };

  constructor(private readonly o: PrunerOptions) {
    this.logger = o.logger.child({ component: "retention" });
    this.batchSize = o.batchSize ?? PRUNE_BATCH;

    this.worker = new Loop({
      name: "retention",
      clock: this.o.clock,
      logger: this.o.logger.child({ component: "retention" }),
      failure: "retention: pruning failed",
      every: () => DAY,
      pass: async (signal) => {
        await this.pruneOnce(signal);
      },
    });
  }

  /**
   * Prunes at start, then once a day; a failure is tried again the next day, or within 5 minutes
   * when it was the database's (a full disk freed meanwhile).
   */
  readonly worker: Worker;

  /** One pass, in batches with a turn of the event loop between them; the first runs at once. */
  async pruneOnce(signal?: AbortSignal): Promise<PruneResult> {
    const before = retentionCut(this.o.clock.now(), this.o.retentionDays);
    let events = 0;
    let alerts = 0;
    let quarantined = 0;
    let batches = 0;
    let keptForExport = 0;
    let subjects = 0;
    let forgetting = false;
    const drain = async (prune: (org: string) => number, org: string): Promise<number> => {
      let total = 0;
      for (;;) {
        const deleted = prune(org);
        batches++;
        total += deleted;
        if (deleted < this.batchSize || signal?.aborted) return total;
        await this.pause();
      }
    };
    const { retention, unpostedAlerts } = this.o.stores;
    for (const org of retention.orgs()) {
      const exported = this.o.exporting?.has(org) ? this.o.stores.export.positions(org) : undefined;
      const now = this.o.clock.now();
      // The events, and the person scopes recorded from them (the new-scope rule reads them), go
      // where the rules no longer need them (organizationCut); all else at RETENTION_DAYS: alerts nobody
      // saw, weekly checks and quarantined items are not what a catch-up is judged against.
      const plain = retentionCut(now, this.o.retentionDays);
      const cut = organizationCut(this.o.stores, org, now, this.o.retentionDays);
      if (cut < plain - DAY) warnHeldBack(this.logger, org, cut, this.o.retentionDays);
      // Before the first delete: a pass stopped or failing part-way has deleted from before it too.
      this.o.stores.prunedBefore.record(org, cut, now);
      // The alerts first: the events only they kept go with this pass.
      alerts += await walk(FIRST_ALERT, signal, this.pause, (from) =>
        unpostedAlerts.pruneBatch(org, plain, now, this.batchSize, from, exported?.alert),
      );
      events += await walk(START, signal, this.pause, (from) => {
        batches++;
        return retention.pruneBatch(org, cut, this.batchSize, from, exported?.mcp_event);
      });
      if (exported !== undefined)
        keptForExport += retention.unexportedBefore(org, cut, exported.mcp_event);
      while (this.o.stores.retention.trimTouched(BLOCKS_A_TURN) > 0 && !signal?.aborted)
        await this.pause();
      if (!this.trimmedOldBlocks) await this.trimOldBlocks(org, cut, signal);
      const people =
        this.o.stores.retention.prunePeople(org) +
        (await forgetFormerNames(this.o.stores.formerNames, org, signal));
      const checks = this.o.stores.retention.pruneAttestations(org, plain, this.o.clock.now());
      // What the bot told about a subject, known for RETENTION_DAYS after its alert's last call
      // (a `once` rule's onceDays after the alert when longer), like the rest of its history.
      subjects += this.o.stores.subjects.forget(
        org,
        plain,
        longerOnceDays(this.o.rules ?? DEFAULT_RULES_FILE.rules, now, this.o.retentionDays),
      );
      forgetting ||= events > 0 || people > 0 || checks > 0;
      this.o.stores.retention.pruneBaselines(org, cut, this.o.clock.now());
      quarantined += await drain(
        (o) => this.o.stores.retention.pruneQuarantined(o, plain, this.batchSize),
        org,
      );
      if (signal?.aborted) break;
    }
    this.trimmedOldBlocks ||= !signal?.aborted;
    const sweep = (forgetting || this.sweepOwed) && !signal?.aborted;
    const forgotten = sweep
      ? await forgetUnusedText(this.o.stores.unusedStrings, this.logger, signal)
      : null;
    if (sweep) this.sweepOwed = forgotten === null;
    const messages = await this.pruneOutbox(signal);
    const logEmptied = await this.emptyLog(signal);
    this.logger.info(
      {
        eventsPruned: events,
        alertsPruned: alerts,
        quarantinedPruned: quarantined,
        outboxPruned: messages,
        textsForgotten: forgotten,
        subjectsForgotten: subjects,
        logEmptied,
        before: new Date(before).toISOString(),
      },
      `retention: pruned ${events} events${alerts > 0 ? `, ${counted(alerts, "alert")} nobody saw` : ""} and ${quarantined} quarantined items older than ${this.o.retentionDays} days${subjects > 0 ? `; forgot ${counted(subjects, "subject")} alerted about (a once rule tells them again)` : ""}`,
    );
    if (keptForExport > 0)
      this.logger.warn(
        { keptForExport },
        `retention: kept ${keptForExport} MCP events older than ${this.o.retentionDays} days that the export has not delivered yet (see /healthz for why)`,
      );
    return { before, events, alerts, quarantined, batches, keptForExport, forgotten, logEmptied };
  }

  /**
   * Forgets the messages settled more than 30 days ago, a batch at a time: after a long stop
   * there may be a hundred thousand (seconds of deletes in one statement).
   */
  private async pruneOutbox(signal?: AbortSignal): Promise<number> {
    const before = this.o.clock.now() - OUTBOX_DAYS * DAY;
    let total = 0;
    for (;;) {
      const deleted = this.o.stores.outbox.prune(before, this.batchSize);
      total += deleted;
      if (deleted < this.batchSize || signal?.aborted) return total;
      await this.pause();
    }
  }

  /**
   * Empties the write-ahead log, whose frames still hold what the pass's batches deleted (and what
   * the pass before deleted, had it not been emptied then). Another process reading the database
   * is in the way: tried again every 5 s for 5 minutes, then at the next pass.
   */
  private async emptyLog(signal?: AbortSignal): Promise<boolean> {
    for (let i = 0; i < LOG_TRIES && !signal?.aborted; i++) {
      if (await (this.o.emptyLog ?? this.o.stores.emptyLog)()) return true;
      await this.o.clock.sleep(LOG_RETRY_MS, signal);
    }
    if (!signal?.aborted)
      this.logger.info(
        "retention: the write-ahead log (-wal) could not be emptied for 5 minutes (another process kept reading the database): what was deleted may be read in it until the next pass empties it",
      );
    return false;
  }

  /**
   * Once per process: the blocks holding old events that are kept (an alert's), rewritten without
   * the events that went before blocks were trimmed as events go (an earlier release).
   */
  private async trimOldBlocks(org: string, before: number, signal?: AbortSignal): Promise<void> {
    const { retention } = this.o.stores;
    const blocks = new Set<number>();
    let from: { time: number; seq: number } | null = { time: Number.MIN_SAFE_INTEGER, seq: 0 };
    while (from !== null && !signal?.aborted) {
      from = retention.oldKeptBlocks(org, before, from, blocks);
      await nextTurn();
    }
    let done = 0;
    for (const id of blocks) {
      if (signal?.aborted) return;
      retention.trim(id);
      if (++done % BLOCKS_A_TURN === 0) await this.pause();
    }
  }
}

/**
 * Deletes batch after batch, each going on from where the last stopped (so what is kept at the
 * old end is read once a pass), with a pause between them; how many in all.
 */
async function walk<P>(
  from: P,
  signal: AbortSignal | undefined,
  pause: () => Promise<void>,
  batch: (from: P) => { deleted: number; next: P | null },
): Promise<number> {
  let total = 0;
  let at: P | null = from;
  while (at !== null) {
    const done = batch(at);
    total += done.deleted;
    at = done.next;
    if (at === null || signal?.aborted) return total;
    await pause();
  }
  return total;
}
