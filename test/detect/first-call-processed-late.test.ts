/**
 * A first call that reaches the audit log after a later call of its kind (Atlassian processed it
 * late) is the first: it grows the alert raised about the later call, whose first call moves back,
 * and its thread tells who called first and when (real HTTP to the simulator, real SQLite).
 */
import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/time-units.js";
import { type Caller, call, liveRig } from "./live-calls.js";

const BOB: Caller = { user: "acct-bob", name: "Bob", email: "bob@acme.test" };
const CAROL: Caller = { user: "acct-carol", name: "Carol", email: "carol@acme.test" };

type Live = Awaited<ReturnType<typeof liveRig>>;

/** The alerts of `ruleId` a call is linked to, with the title of the finding that linked it. */
function linksOf(L: Live, id: string, ruleId: string) {
  return L.r.db
    .prepare(
      `SELECT ae.alert_id AS alert, ae.title FROM alert_events ae JOIN events e ON e.seq = ae.event_seq
       JOIN alerts a ON a.id = ae.alert_id WHERE e.id = ? AND a.rule_id = ?`,
    )
    .all(id, ruleId) as Array<{ alert: number; title: string }>;
}

/**
 * Mallory and Bob use MCP; then Bob's call, stored at once, and Mallory's of 2 h before it (before
 * any of hers: her first too), late.
 */
async function bobFirstThenMallorysLate(o: { app?: string; tool?: string }) {
  const L = await liveRig();
  const now = L.r.clock.now();
  L.inject([call({ time: now - 30 * MINUTE }), call({ time: now - 30 * MINUTE, by: BOB })]);
  await L.poll();
  const t = L.r.clock.now();
  L.inject([call({ time: t - MINUTE, by: BOB, ...o })]);
  await L.poll();
  const mallorys = call({ time: t - 120 * MINUTE, ...o });
  L.inject([mallorys]);
  await L.poll();
  return { L, t, mallorys };
}

const firstUses = (L: Live, user: string) =>
  L.alerts(user).filter((a) => a.ruleId === "mcp-first-use");

/** Mallory uses MCP; then Bob's very first MCP call, with Zedbot: his own first-use alert only. */
async function bobsFirstWithZedbot() {
  const L = await liveRig();
  const t = L.r.clock.now();
  L.inject([call({ time: t - 30 * MINUTE })]);
  await L.poll();
  L.inject([call({ time: t - MINUTE, by: BOB, app: "Zedbot" })]);
  await L.poll();
  const [bobs, ...more] = firstUses(L, "acct-bob");
  if (!bobs || more.length > 0 || bobs.title !== "First MCP call by Bob")
    throw new Error("Bob's first call is not told in his own alert alone");
  return { L, t, bobs };
}

describe("a first call that reaches the audit log late", () => {
  it("of an AI tool new to the organization grows the alert about the later call, saying who was first", async () => {
    const { L, t, mallorys } = await bobFirstThenMallorysLate({ app: "Zedbot" });
    const zedbot = L.alerts().filter(
      (a) => a.ruleId === "mcp-first-use" && a.title.includes("Zedbot"),
    );
    expect(zedbot).toMatchObject([
      { userId: "acct-bob", firstSeen: t - 120 * MINUTE, eventCount: 2, late: true },
    ]);
    expect(linksOf(L, mallorys.id, "mcp-first-use")).toEqual([
      {
        alert: zedbot[0]?.id,
        title:
          "Mallory's first MCP call with Zedbot, an AI tool new to the organization, made before the calls seen first (it reached the audit log late)",
      },
    ]);
  });

  it("of a tool new to the organization grows the alert about the later call too", async () => {
    const { L, t, mallorys } = await bobFirstThenMallorysLate({ tool: "getJiraBoardSprints" });
    const tool = L.alerts().filter((a) => a.ruleId === "mcp-new-tool");
    expect(tool).toMatchObject([
      { userId: "acct-bob", firstSeen: t - 120 * MINUTE, eventCount: 2 },
    ]);
    expect(linksOf(L, mallorys.id, "mcp-new-tool")).toEqual([
      {
        alert: tool[0]?.id,
        title: expect.stringContaining("used by Mallory, made before the calls seen first"),
      },
    ]);
  });

  it("of an AI tool never grows the first-use alert of another person, whose own first call it was", async () => {
    const { L, t, bobs } = await bobsFirstWithZedbot();
    const mallorys = call({ time: t - 20 * MINUTE, app: "Zedbot" });
    L.inject([mallorys]);
    await L.poll();
    expect(firstUses(L, "acct-bob")).toMatchObject([
      { id: bobs.id, eventCount: 1, firstSeen: t - MINUTE },
    ]);
    const [link] = linksOf(L, mallorys.id, "mcp-first-use");
    expect(link?.alert).not.toBe(bobs.id);
    expect(link?.title).toBe(
      "Mallory's first MCP call with Zedbot, an AI tool new to the organization, made before the calls seen first (it reached the audit log late)",
    );
  });

  it("of both a person and an AI tool grows that person's own first-use alert", async () => {
    const { L, t, bobs } = await bobsFirstWithZedbot();
    L.inject([call({ time: t - 20 * MINUTE, by: BOB, app: "Zedbot" })]);
    await L.poll();
    expect(firstUses(L, "acct-bob")).toMatchObject([
      { id: bobs.id, eventCount: 2, firstSeen: t - 20 * MINUTE },
    ]);
  });

  it("of a person is the call their first-use alert is about", async () => {
    const L = await liveRig();
    const t = L.r.clock.now();
    const first = call({ time: t - 90 * MINUTE, by: CAROL });
    L.inject([call({ time: t - MINUTE, by: CAROL })]);
    await L.poll();
    L.inject([first]);
    await L.poll();
    const alerts = L.alerts("acct-carol").filter((a) => a.ruleId === "mcp-first-use");
    expect(alerts).toMatchObject([
      { title: "First MCP call by Carol", firstSeen: t - 90 * MINUTE },
    ]);
    expect(linksOf(L, first.id, "mcp-first-use").map((l) => l.alert)).toEqual([alerts[0]?.id]);
  });

  it("dated decades back is no first: a wrong date overtakes nothing", async () => {
    const L = await liveRig();
    L.inject([call({ time: L.r.clock.now() - 10 * MINUTE })]);
    await L.poll();
    const told = () => L.alerts().map((a) => [a.id, a.eventCount, a.firstSeen]);
    const before = told();
    expect(firstUses(L, "acct-mallory")).toHaveLength(1);
    const wrong = call({ time: Date.UTC(2003, 0, 1) });
    L.inject([wrong]);
    await L.poll();
    expect(told()).toEqual(before);
    expect(linksOf(L, wrong.id, "mcp-first-use")).toEqual([]);
  });
});
