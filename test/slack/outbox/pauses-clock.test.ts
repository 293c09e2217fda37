/** Slack pauses, kept in the database as times, when the host's clock steps back. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SlackPauses } from "../../../src/slack/outbox/pauses.js";
import { openStore } from "../../../src/store/open.js";
import { SlackPauseStore } from "../../../src/store/slack-pauses.js";
import { HOUR, MINUTE } from "../../../src/time-units.js";
import { VirtualClock } from "../../fakes/virtual-clock.js";
import { capturedLogger } from "../../helpers/logs.js";
import { tempDir } from "../../helpers/tmp.js";

const NOW = Date.UTC(2026, 11, 4, 12, 0);

function pausesAt() {
  const db = openStore(join(tempDir(), "pauses.db"));
  const clock = new VirtualClock(NOW);
  const logger = capturedLogger().logger;
  return { clock, pauses: new SlackPauses({ store: new SlackPauseStore(db), clock, logger }) };
}

describe("a Slack pause when the clock steps back", () => {
  it("a second back: a 429's 15 minutes still hold", () => {
    const { clock, pauses } = pausesAt();
    pauses.rateLimited("chat.postMessage", 15 * MINUTE);
    clock.advance(-1_000);
    expect(pauses.holding("chat.postMessage")?.until).toBe(NOW + 15 * MINUTE);
  });

  it("six hours back: the pause is over, and a new one holds as long as it asks", () => {
    const { clock, pauses } = pausesAt();
    pauses.rateLimited("chat.postMessage", 15 * MINUTE);
    clock.advance(-6 * HOUR);
    expect(pauses.holding("chat.postMessage")).toBeUndefined();
    pauses.rateLimited("chat.postMessage", 60_000);
    expect(pauses.holding("chat.postMessage")?.until).toBe(clock.now() + 60_000);
  });
});
