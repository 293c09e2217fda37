import type { Alert } from "../../../src/domain/alert.js";
import type { AlertStore } from "../../../src/store/alerts.js";

/**
 * The alert's group grows a minute after its first call (as the poller's engine grows it), at
 * `severity`, retitled `title`.
 */
export function growRetitled(
  rig: { readonly alerts: AlertStore; readonly clock: { now(): number } },
  id: number,
  severity: Alert["severity"],
  title: string,
): void {
  const alert = rig.alerts.get(id) as Alert;
  rig.alerts.grow(
    alert,
    {
      seq: alert.firstEventSeq,
      time: alert.firstSeen + 60_000,
      late: false,
      tools: alert.tools,
      severity,
      notify: true,
      retitle: { title, detail: {} },
    },
    rig.clock.now(),
  );
}
