/** Slack pauses seen by two processes on one database file (the bot, a command beside it). */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SlackPauses } from "../../../src/slack/outbox/pauses.js";
import { openStore } from "../../../src/store/open.js";
import { SlackPauseStore } from "../../../src/store/slack-pauses.js";
import { VirtualClock } from "../../fakes/virtual-clock.js";
import { capturedLogger } from "../../helpers/logs.js";
import { tempDir } from "../../helpers/tmp.js";

const NOW = Date.UTC(2026, 11, 4, 12, 0);

function twoProcesses() {
  const path = join(tempDir(), "pauses.db");
  const clock = new VirtualClock(NOW);
  const logger = capturedLogger().logger;
  const open = () =>
    new SlackPauses({ store: new SlackPauseStore(openStore(path)), clock, logger });
  return { clock, bot: open(), command: open() };
}

describe("Slack pauses across processes", () => {
  it("a 429 holds the method for every process", () => {
    const { bot, command } = twoProcesses();
    command.rateLimited("chat.postMessage", 30_000);
    expect(bot.holding("chat.postMessage")).toEqual({
      method: "chat.postMessage",
      until: NOW + 30_000,
      reason: "ratelimited",
    });
  });

  it("a setup error holds the method for the process that met it only, for a minute", () => {
    const { clock, bot, command } = twoProcesses();
    command.setupFailed("chat.postMessage", "invalid_auth");
    expect(bot.active()).toEqual([]);
    expect(command.active()).toEqual([
      { method: "chat.postMessage", until: NOW + 60_000, reason: "invalid_auth" },
    ]);
    clock.advance(60_000);
    expect(command.active()).toEqual([]);
  });

  it("a 429 running longer than a setup error is the one that holds", () => {
    const { bot } = twoProcesses();
    bot.rateLimited("chat.postMessage", 5 * 60_000);
    bot.setupFailed("chat.postMessage", "not_in_channel");
    expect(bot.holding("chat.postMessage")).toMatchObject({
      until: NOW + 5 * 60_000,
      reason: "ratelimited",
    });
  });
});
