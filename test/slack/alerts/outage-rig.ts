import type { NewAlert } from "../../../src/domain/alert.js";
import { HOUR, MINUTE } from "../../../src/time-units.js";
import type { slackRig } from "../setup.js";

type Rig = Awaited<ReturnType<typeof slackRig>>;

/**
 * `hours` hours of alerts: `perHour` first-use alerts (medium) about new people each hour, the
 * outbox drained after each hour's, then the clock an hour on. `alert` overrides each one.
 */
export async function alertsEachHour(
  r: Rig,
  o: { hours: number; perHour: number; alert?: (person: number) => Partial<NewAlert> },
): Promise<void> {
  let person = 0;
  for (let hour = 0; hour < o.hours; hour++) {
    for (let i = 0; i < o.perHour; i++) {
      person++;
      r.raise({
        severity: "medium",
        ruleId: "mcp-first-use",
        groupKey: `mcp-first-use|acc-out-${person}`,
        title: `First MCP call by person ${person}`,
        createdAt: r.clock.now(),
        firstSeen: r.clock.now(),
        lastSeen: r.clock.now(),
        ...o.alert?.(person),
      });
    }
    await r.poster.drain();
    r.clock.advance(HOUR);
  }
}

/** Slack is back: past any backoff, then twenty minutes of the outbox draining. */
export async function catchUp(r: Rig): Promise<void> {
  r.clock.advance(16 * MINUTE);
  for (let i = 0; i < 20; i++) {
    await r.poster.drain();
    r.clock.advance(MINUTE);
  }
}
