import type { ActionInfo, StoredEvent } from "../domain/event.js";
import type { FactStore } from "../store/facts.js";
import { DAY, MINUTE } from "../time-units.js";
import type { BurstSettings } from "./rules/mcp-burst.js";
import type { NewLocationSettings } from "./rules/mcp-new-location.js";
import { BASELINE_DAYS } from "./rules/mcp-volume-spike.js";
import type { RulesFile } from "./rules-file.js";
import type { FactKind, Facts } from "./types.js";

/** The history a rule reads about an event: only the kinds some enabled rule needs. */
export function factsFor(
  event: StoredEvent,
  o: {
    readonly catalog: ReadonlyMap<string, ActionInfo>;
    readonly needs: ReadonlySet<FactKind>;
    readonly config: RulesFile;
    readonly history: FactStore;
    /** An event judged again: the rules had judged every event up to this seq (see seenBefore). */
    readonly judgedUpTo?: number;
  },
): Facts {
  const { needs, config, history } = o;
  const facts: { -readonly [K in keyof Facts]: Facts[K] } = {};
  if (needs.has("action")) facts.action = o.catalog.get(event.action);
  if (!event.isMcp) return facts;
  // The organization's: a tool or an AI tool first used in an event that names no account is new.
  if (needs.has("seenBefore")) facts.seenBefore = history.seenBefore(event, o.judgedUpTo);
  if (needs.has("toolSeen") && event.tool !== null)
    facts.toolSeen = history.toolSeen(event, o.judgedUpTo);
  if (event.userId === null) return facts;
  if (needs.has("recent")) {
    const burst = config.rules["mcp-burst"]?.settings as BurstSettings;
    facts.recent = history.recent(event, burst.windowMinutes * MINUTE);
  }
  if (needs.has("volume")) facts.volume = history.volume(event);
  if (needs.has("tokenHistory") && event.authKind === "api-token")
    facts.tokenHistory = history.tokenCallsInHistory(event);
  if (needs.has("scopes") && event.tool !== null) {
    const { baselines } = history;
    facts.scopes = { firstCall: baselines.firstCall(event), opened: baselines.openedBy(event) };
  }
  if (needs.has("hourly") && event.tool !== null) {
    const { baselines } = history;
    const hour = history.lastHourWindow(event);
    facts.hourly = {
      lastHour: hour.calls,
      lastHourEnd: hour.end,
      firstCall: baselines.firstCall(event),
      activeHours: baselines.hoursBefore(event, BASELINE_DAYS),
    };
  }
  if (needs.has("places")) {
    const location = config.rules["mcp-new-location"]?.settings as NewLocationSettings;
    facts.places = history.places(event, location.lookbackDays * DAY);
  }
  return facts;
}
