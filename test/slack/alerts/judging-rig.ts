/** The ask rig (real Bolt, the fake Slack, SQLite) with an engine judging what is stored in it. */
import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { askRig } from "../people/ask-rig.js";

/**
 * The rig, and `judge`: stores events (live unless told), runs the default rules and sends what
 * is owed.
 */
export async function judgingRig() {
  const a = await askRig();
  const engine = new DetectionEngine({
    stores: a.stores,
    clock: a.clock,
    logger: a.logs.logger,
    orgId: "org-1",
    config: parseRulesText("", "rules.yml"),
  });
  const judge = async (
    events: NormalizedEvent | readonly NormalizedEvent[],
    backfilled = false,
  ) => {
    const list = Array.isArray(events) ? events : [events];
    a.stores.events.insertMany(
      list.map((e: NormalizedEvent) => ({ ...e, backfilled })),
      a.clock.now(),
    );
    engine.run();
    await a.poster.drain();
  };
  return { a, judge };
}
