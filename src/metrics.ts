import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Clock } from "./clock.js";
import type { OutboxHealth } from "./domain/outbox.js";
import type { PollResult } from "./ingest/poller-options.js";
import type { Logger } from "./logger.js";
import { ScrapeReadings } from "./metrics-readable.js";
import { collectProcessMetrics } from "./process-metrics.js";
import type { WorkerHealth } from "./workers/worker.js";

/** What the gauges read at each scrape, per organization. */
export interface MetricsSources {
  readonly orgId: string;
  lagSeconds(): number | null;
  eventsStored(): number;
  quarantined(): number;
  queueDepth(): number;
  alerts(): ReadonlyArray<{ ruleId: string; severity: string; count: number }>;
}

/**
 * The Prometheus metrics of GET /metrics (prom-client, text format). Counters count what this
 * process did since it started; gauges read the database and the components at scrape time, so
 * they survive restarts. Labels carry no personal data: organization, rule, severity, kinds, codes.
 * A gauge whose figures cannot be read from the database is left out of the scrape, which still
 * answers (see ScrapeReadings).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly polls: Counter<"org" | "outcome">;
  private readonly pollErrors: Counter<"org" | "kind">;
  private readonly ingested: Counter<"org">;
  private readonly quarantinedNow: Counter<"org">;
  private readonly changedAgain = new Counter({
    name: "mcp_activity_events_changed_total",
    help: "Audit events that came again under an id already stored with other content (the version first stored is kept).",
    labelNames: ["org"],
    registers: [this.registry],
  });
  private readonly slackCalls: Counter<"method" | "result">;
  private readonly slackSends: Counter<"kind" | "result">;
  private outbox: { read: () => OutboxHealth; clock: Clock } | undefined;
  private workers: (() => readonly WorkerHealth[]) | undefined;
  private readonly commands: Histogram<"kind">;
  private readonly sources: MetricsSources[] = [];
  /** Counts scrapes, so what several gauges read is read once per scrape (see perScrape). */
  private scrapes = 0;
  private readonly readings: ScrapeReadings;
  /** The scrape being rendered, if any: the next waits for it. */
  private rendering: Promise<unknown> = Promise.resolve();

  constructor(logger?: Logger) {
    this.readings = new ScrapeReadings(logger);
    const registers = [this.registry];
    collectProcessMetrics(this.registry, (read) => this.perScrape(read));
    this.polls = new Counter({
      name: "mcp_activity_polls_total",
      help: "Polls of the audit log, by outcome (ok or error).",
      labelNames: ["org", "outcome"],
      registers,
    });
    this.pollErrors = new Counter({
      name: "mcp_activity_poll_errors_total",
      help: "Failed polls by kind (rate-limited, server, network, timeout, auth, invalid-cursor, database, internal and others).",
      labelNames: ["org", "kind"],
      registers,
    });
    this.ingested = new Counter({
      name: "mcp_activity_events_ingested_total",
      help: "Audit events stored by this process (duplicates not counted).",
      labelNames: ["org"],
      registers,
    });
    this.quarantinedNow = new Counter({
      name: "mcp_activity_events_quarantined_total",
      help: "Malformed audit items quarantined by this process.",
      labelNames: ["org"],
      registers,
    });
    this.slackCalls = new Counter({
      name: "mcp_activity_slack_calls_total",
      help: "Slack Web API calls by the outbox (alerts, digests, questions, reminders): method and result (ok, Slack's error code, or without one http_<status>, not_slack_json, no_answer or a system error code such as ECONNREFUSED).",
      labelNames: ["method", "result"],
      registers,
    });
    this.slackSends = new Counter({
      name: "mcp_activity_slack_sends_total",
      help: "Messages the outbox tried to send, by kind and result (ok, found after a crash, Slack's error code, or without one http_<status>, not_slack_json, no_answer or a system error code).",
      labelNames: ["kind", "result"],
      registers,
    });
    this.commands = new Histogram({
      name: "mcp_activity_command_duration_seconds",
      help: "Time to answer /mcp-activity and its buttons.",
      labelNames: ["kind"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const readable = <T>(read: () => T) => this.readable(read);
    const each = (read: (s: MetricsSources) => number | null) =>
      function (this: Gauge<"org">) {
        this.reset();
        for (const s of sources) {
          const value = readable(() => read(s))();
          if (value !== null && value !== undefined) this.set({ org: s.orgId }, value);
        }
      };
    const sources = this.sources;
    new Gauge({
      name: "mcp_activity_lag_seconds",
      help: "Now minus the newest processedAt stored.",
      labelNames: ["org"],
      registers,
      collect: each((s) => s.lagSeconds()),
    });
    new Gauge({
      name: "mcp_activity_events_stored",
      help: "Audit events in the database.",
      labelNames: ["org"],
      registers,
      collect: each((s) => s.eventsStored()),
    });
    new Gauge({
      name: "mcp_activity_quarantined_stored",
      help: "Quarantined items in the database.",
      labelNames: ["org"],
      registers,
      collect: each((s) => s.quarantined()),
    });
    new Gauge({
      name: "mcp_activity_slack_queue_depth",
      help: "Slack messages of the organization waiting in the outbox, and alerts held back from it.",
      labelNames: ["org"],
      registers,
      collect: each((s) => s.queueDepth()),
    });
    const workers = this.perScrape(this.readable(() => this.workers?.() ?? []));
    new Gauge({
      name: "mcp_activity_worker_up",
      help: "1 while a worker is well, 0 while it needs the operator; `worker` names it as in the workers of /healthz.",
      labelNames: ["worker", "org"],
      registers,
      collect(this: Gauge<"worker" | "org">) {
        this.reset();
        for (const w of workers() ?? [])
          this.set({ worker: w.name, org: w.orgId ?? "" }, w.ok ? 1 : 0);
      },
    });
    new Gauge({
      name: "mcp_activity_worker_last_pass_timestamp_seconds",
      help: "When a worker's last pass went well (Unix time), once it has.",
      labelNames: ["worker", "org"],
      registers,
      collect(this: Gauge<"worker" | "org">) {
        this.reset();
        for (const w of workers() ?? [])
          if (w.lastPassAt !== null)
            this.set({ worker: w.name, org: w.orgId ?? "" }, w.lastPassAt / 1000);
      },
    });
    const outboxNow = this.perScrape(this.readable(() => this.outbox?.read()));
    const outbox = () => this.outbox && { read: outboxNow, clock: this.outbox.clock };
    new Gauge({
      name: "mcp_activity_outbox_depth",
      help: "Slack messages waiting in the outbox (pending or being sent), by kind.",
      labelNames: ["kind"],
      registers,
      collect(this: Gauge<"kind">) {
        this.reset();
        const source = outbox();
        if (!source) return;
        for (const [kind, n] of Object.entries(source.read()?.pendingByKind ?? {}))
          this.set({ kind }, n);
      },
    });
    new Gauge({
      name: "mcp_activity_outbox_oldest_seconds",
      help: "Age of the oldest Slack message waiting in the outbox (0 when none waits).",
      registers,
      collect(this: Gauge) {
        const source = outbox();
        if (!source) return;
        const read = source.read();
        // Not read: unknown, not "none waits".
        if (read === undefined) {
          this.set(Number.NaN);
          return;
        }
        const oldest = read.oldestPendingAt;
        this.set(oldest === null ? 0 : Math.max(0, (source.clock.now() - oldest) / 1000));
      },
    });
    new Gauge({
      name: "mcp_activity_alerts_stored",
      help: "Alerts stored, by rule and severity (read from the database, so they survive restarts; alerts nobody saw leave with the retention).",
      labelNames: ["org", "rule", "severity"],
      registers,
      collect(this: Gauge<"org" | "rule" | "severity">) {
        this.reset();
        for (const s of sources)
          for (const a of readable(() => s.alerts())() ?? [])
            this.set({ org: s.orgId, rule: a.ruleId, severity: a.severity }, a.count);
      },
    });
  }

  /**
   * `read`, or undefined while the database (or anything it reads) fails: the scrape leaves its
   * figures out, says so in mcp_activity_database_up, and the log says it once.
   */
  readable<T>(read: () => T): () => T | undefined {
    return this.readings.readable(read);
  }

  /**
   * `read` once per scrape: the gauges that need the same figures (a poller's health, the
   * outbox's, the workers') share one reading, as one /healthz request reads each once; a reading
   * that failed fails them all without reading again.
   */
  perScrape<T>(read: () => T): () => T {
    let at = -1;
    // A failed reading is kept too: a database held locked is waited on once per scrape.
    let reading: { value: T } | { error: unknown } | undefined;
    return () => {
      if (at !== this.scrapes || reading === undefined) {
        at = this.scrapes;
        try {
          reading = { value: read() };
        } catch (error) {
          reading = { error };
        }
      }
      if ("error" in reading) throw reading.error;
      return reading.value;
    };
  }

  watch(sources: MetricsSources): void {
    this.sources.push(sources);
  }

  /** The outbox whose depth and oldest item the gauges read. */
  watchOutbox(read: () => OutboxHealth, clock: Clock): void {
    this.outbox = { read, clock };
  }

  /** Why the files at DATABASE_PATH are not those the bot opened, or null: read at each scrape. */
  watchDatabaseFiles(problem: () => string | null): void {
    this.readings.watchFiles(problem);
  }

  /**
   * In Socket Mode, whether the connection to Slack is up (or within its grace), read at each
   * scrape: the gauge is there only then.
   */
  watchSocket(up: () => boolean): void {
    new Gauge({
      name: "mcp_activity_slack_socket_up",
      help: "Socket Mode only: 1 while the connection to Slack is up or within the 2 minutes' grace of a start or a drop, 0 once down past it (no command or click reaches the bot).",
      registers: [this.registry],
      collect(this: Gauge) {
        this.set(up() ? 1 : 0);
      },
    });
  }

  /** The workers' health, read at each scrape. */
  watchWorkers(read: () => readonly WorkerHealth[]): void {
    this.workers = read;
  }

  /** Counts a message the outbox tried to send: its kind and result. */
  sent(kind: string, result: string): void {
    this.slackSends.inc({ kind, result });
  }

  /** Counts a poll by its outcome: what it stored is counted as it is committed (see stored). */
  polled(orgId: string, outcome: PollResult | { readonly kind: string }): void {
    this.polls.inc({ org: orgId, outcome: "kind" in outcome ? "error" : "ok" });
    if ("kind" in outcome) this.pollErrors.inc({ org: orgId, kind: outcome.kind });
  }

  /** Counts what a commit stored that was not there, whether its poll ends well or fails later. */
  stored(orgId: string, added: { events: number; quarantined: number; changed?: number }): void {
    this.ingested.inc({ org: orgId }, added.events);
    this.quarantinedNow.inc({ org: orgId }, added.quarantined);
    this.changedAgain.inc({ org: orgId }, added.changed ?? 0);
  }

  answered(kind: "command" | "button", seconds: number): void {
    this.commands.observe({ kind }, seconds);
  }

  /** Counts a Web API call of the outbox's client (see createWebClient). */
  slackCall(method: string, result: string): void {
    this.slackCalls.inc({ method, result });
  }

  /** The text of one scrape: every gauge read, each shared reading once. */
  render(): Promise<string> {
    // One at a time: a scrape's readings (and what failed in them) are its own.
    const text = this.rendering.then(() => this.renderOne());
    this.rendering = text.catch(() => undefined);
    return text;
  }

  private async renderOne(): Promise<string> {
    this.scrapes++;
    this.readings.start();
    try {
      const text = await this.registry.metrics();
      return text + (await this.readings.registry.metrics());
    } finally {
      this.readings.end();
    }
  }
}
