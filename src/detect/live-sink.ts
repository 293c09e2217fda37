import type { CountedCalls } from "../domain/alert.js";
import type { Repositories } from "../store/repositories.js";
import { type Span, spanToLink } from "./counted-span.js";
import type { AlertSink } from "./grouping.js";

/** Alerts whose linked span is remembered at most: past it, each links its window once more. */
const REMEMBERED = 1000;

/**
 * Where live alerts go: the alerts table and the subjects already alerted about. An alert whose
 * title counts calls is linked to every call it counts (its findings' windows), each window
 * less what the alert's earlier findings linked: the span linked is remembered by alert, and
 * forgotten when a transaction fails (what it linked was rolled back with it).
 */
export class LiveSink implements AlertSink {
  private readonly linked = new Map<string, Span>();

  constructor(private readonly stores: Pick<Repositories, "alerts" | "subjects">) {}

  get subjects() {
    return this.stores.subjects;
  }

  findGroup(orgId: string, groupKey: string, time: number, windowMs: number) {
    return this.stores.alerts.findGroup(orgId, groupKey, time, windowMs);
  }

  holding(...[orgId, ruleId, seq, about]: Parameters<NonNullable<AlertSink["holding"]>>) {
    return this.stores.alerts.holding(orgId, ruleId, seq, about);
  }

  insert(...[alert, counted]: Parameters<AlertSink["insert"]>): number {
    const id = this.stores.alerts.insert(alert);
    if (counted) this.link(alert.orgId, id, counted);
    return id;
  }

  grow(...[alert, event, now]: Parameters<AlertSink["grow"]>): void {
    this.stores.alerts.grow(alert, event, now);
    if (event.counted) this.link(alert.orgId, alert.id, event.counted);
  }

  confirmed(alertId: number): boolean {
    return this.stores.alerts.get(alertId)?.status === "true_positive";
  }

  /** Runs `work` in `transaction`: one that fails linked nothing, and its spans are forgotten. */
  within<T>(transaction: (work: () => T) => T, work: () => T): T {
    try {
      return transaction(work);
    } catch (error) {
      this.linked.clear();
      throw error;
    }
  }

  private link(orgId: string, alertId: number, counted: CountedCalls): void {
    const key = `${orgId}|${alertId}|${counted.account}`;
    const { parts, linked } = spanToLink(this.linked.get(key), counted);
    for (const part of parts)
      this.stores.alerts.linkCounted(orgId, alertId, { ...counted, ...part });
    if (this.linked.size >= REMEMBERED && !this.linked.has(key)) this.linked.clear();
    this.linked.set(key, linked);
  }
}
