/** Whose claim on a message still runs: the bot takes back what an earlier bot left at once. */
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { createPoster } from "../../../src/slack/delivery.js";
import { newOwner, ownerAlive } from "../../../src/slack/outbox/claims.js";
import { CHANNEL, slackRig } from "../setup.js";

describe("a claim's owner", () => {
  it("is alive to its own process, and by pid on this host otherwise", () => {
    expect(ownerAlive(newOwner())).toBe(true);
    expect(ownerAlive(newOwner(true), true)).toBe(true);
    expect(ownerAlive(`${hostname()}:999999:abc:def`)).toBe(false); // no such process
    expect(ownerAlive(`elsewhere:1:abc:def`)).toBe(true); // another host: its lease decides
    // This pid in an earlier process or another container (PID 1 in each): it may run.
    expect(ownerAlive(`${hostname()}:${process.pid}:abc:def`)).toBe(true);
    expect(ownerAlive(`${hostname()}:${process.pid}:abc`)).toBe(true); // as owners were written before
  });

  it("of a process that held the instance lock is gone when this one holds it", () => {
    for (const earlier of [
      `${hostname()}:${process.pid}:abc:def:lock`,
      "elsewhere:1:abc:def:lock",
    ]) {
      expect(ownerAlive(earlier, true)).toBe(false);
      expect(ownerAlive(earlier, false)).toBe(true);
    }
    // A command's claim (no lock) is judged as before, even by the bot.
    expect(ownerAlive("elsewhere:1:abc:def", true)).toBe(true);
  });

  it("left by a bot that was killed (PID 1 again after a restart) is taken back at once, and posted once", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { drop: true });
    await r.poster.drain();
    // The claim as the killed bot left it: another process's, within its 2-minute lease.
    r.db
      .prepare("UPDATE outbox SET state = 'claimed', owner = ?, lease_until = ?")
      .run(`${hostname()}:${process.pid}:abc:def:lock`, r.clock.now() + 120_000);
    const bot = createPoster({
      stores: r.stores,
      client: r.client,
      pauses: r.pauses,
      clock: r.clock,
      logger: r.logs.logger,
      alertChannel: CHANNEL,
      producers: [],
      holdsInstanceLock: true,
    });
    r.clock.advance(31_000); // past the wait before a look-up, well within the lease
    await bot.drain();
    expect(r.logs.text()).toContain("alert message was already posted before a restart");
    expect(r.slack.messages(CHANNEL).filter((m) => m.user === "UBOT")).toHaveLength(1);
    expect(r.db.prepare("SELECT state FROM outbox").pluck().all()).toEqual(["delivered"]);
  });
});
