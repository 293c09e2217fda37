/**
 * The action catalogue (/event-actions) refusing the key (401, 403) while the stream accepts it:
 * the catalogue is not needed to read the log. The refusal is warned of once, the stored catalogue
 * and the "mentions MCP" guess are used, and only the stream's own answer says whether the key is
 * rejected.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import type { Poller } from "../../src/ingest/poller.js";
import type { PollerHealth } from "../../src/ingest/poller-options.js";
import { front, type Intercept } from "../helpers/front.js";
import { until } from "../helpers/until.js";
import { MINUTE, type Rig, rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

const FORBIDDEN = JSON.stringify({
  errors: [{ status: "403", code: "ADMIN-403-3", title: "Forbidden", detail: "not allowed" }],
});

/** How many warnings logged so far hold `text`. */
const warned = (r: Rig, text: string) =>
  r.logs.lines().filter((l) => l.level === 40 && String(l.msg).includes(text)).length;

/**
 * The rig's simulator behind a front whose /event-actions answers `answer(n)` for its n-th ask
 * (undefined: the simulator's own answer); `asked` counts them.
 */
async function catalogueAnswering(
  r: Rig,
  answer: (n: number) => ReturnType<Intercept>,
): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  const server = await front(r.sim.url, (path) =>
    path.split("?")[0]?.endsWith("/event-actions") ? answer(++asked) : undefined,
  );
  onTestFinished(server.close);
  return { url: server.url, asked: () => asked };
}

/** The catalogue refusing the key at every ask. */
const refusing = () => ({ status: 403, body: FORBIDDEN });

/** An event under an action no catalogue lists. */
const unlisted = (now: number, n: number) => ({
  id: `dddddddd-0000-4000-8000-${String(n).padStart(12, "0")}`,
  type: "events",
  attributes: {
    time: new Date(now - 10_000).toISOString(),
    action: `brand_new_${n}`,
    actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
    context: [],
    container: [],
  },
  message: { content: "Something happened", format: "simple" },
});

describe("a key the action catalogue refuses but the stream accepts", () => {
  it("is warned of once, and the audit log is read, its MCP calls found by the guess", async () => {
    const r = await rig({ hours: 1 });
    const catalogue = await catalogueAnswering(r, refusing);
    const outcomes: string[] = [];
    const health: PollerHealth[] = [];
    const poller: Poller = pollerVia(r, catalogue.url, {
      onPoll: (outcome) => {
        outcomes.push("kind" in outcome ? outcome.kind : "read");
        health.push(poller.health());
      },
    });
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    const running = poller.run(stop.signal);
    // Past ten intervals: the catalogue is asked again, and refused again.
    await until(() => outcomes.length >= 12, "12 polls", 20_000, 5);
    stop.abort();
    await running;
    expect(outcomes.slice(0, 12)).toEqual(Array(12).fill("read"));
    expect(health.every((h) => h.healthy && !h.keyRejected && h.lastError === null)).toBe(true);
    expect(r.count()).toBeGreaterThan(0);
    expect(r.count("mcp_basis = 'guessed'")).toBeGreaterThan(0);
    expect(catalogue.asked()).toBeGreaterThan(1);
    const said = r.logs.lines().filter((l) => String(l.msg).includes("refused the key"));
    expect(said.map((l) => [l.level, l.msg])).toEqual([
      [
        40,
        expect.stringMatching(
          /^the action catalogue \(\/event-actions\) refused the key \(403\): using the stored one/,
        ),
      ],
    ]);
  });

  it("is warned of once over 40 polls, and asked again only every ten poll intervals, though every action is one it lacks", async () => {
    const r = await rig({ hours: 1 });
    const catalogue = await catalogueAnswering(r, refusing);
    let polls = 0;
    // Polls 5 minutes apart: a catalogue asked again for an action it lacks would be, every other.
    const poller: Poller = pollerVia(r, catalogue.url, {
      onPoll: () => polls++,
      intervalMs: 5 * MINUTE,
    });
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    const running = poller.run(stop.signal);
    await until(() => polls >= 40, "40 polls", 60_000, 5);
    stop.abort();
    await running;
    expect(warned(r, "refused the key")).toBe(1);
    expect(warned(r, "for an action it lacks")).toBe(0);
    // At start, then once in ten polls (not every other one, for an action it lacks).
    expect(catalogue.asked()).toBeLessThanOrEqual(1 + Math.ceil(polls / 10));
  });

  it("first met when asked for an action it lacks, is warned of once, and asked again only every ten poll intervals", async () => {
    const r = await rig({ hours: 1 });
    // Read at start; refusing the key from then on.
    const catalogue = await catalogueAnswering(r, (n) => (n === 1 ? undefined : refusing()));
    const poller = pollerVia(r, catalogue.url, { intervalMs: 5 * MINUTE });
    await poller.pollOnce();
    // Each poll, 5 minutes apart, an action the catalogue does not list.
    for (let i = 1; i <= 20; i++) {
      r.clock.advance(5 * MINUTE);
      r.sim.injectEvents([unlisted(r.clock.now(), i)]);
      await poller.pollOnce();
    }
    expect(warned(r, "refused the key")).toBe(1);
    expect(warned(r, "for an action it lacks")).toBe(0);
    // At start, once for the first action it lacks, then once in ten polls.
    expect(catalogue.asked()).toBeLessThanOrEqual(4);
  });
});

describe("the action catalogue asked while the poller stops", () => {
  it("is not warned of as a failed fetch: the poller was stopped", async () => {
    const r = await rig({ hours: 1 });
    // Never answered: the stop comes while it is asked.
    const catalogue = await catalogueAnswering(
      r,
      () => new Promise(() => undefined) as unknown as ReturnType<Intercept>,
    );
    const poller = pollerVia(r, catalogue.url);
    const stop = new AbortController();
    const running = poller.run(stop.signal);
    await until(() => catalogue.asked() > 0, "the catalogue asked");
    stop.abort();
    await running;
    expect(warned(r, "could not fetch the action catalogue")).toBe(0);
  });
});
