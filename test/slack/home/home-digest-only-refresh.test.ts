/**
 * A responder's Home lists posted alerts only: an alert kept out of the channel (digest-only,
 * below minSeverity) changes nothing it shows, and must not publish it again (each view stays in
 * the outbox for 30 days, whole).
 */
import { describe, expect, it } from "vitest";
import { ALICE, homeRig, RESPONDER } from "./home-rig.js";

type Rig = Awaited<ReturnType<typeof homeRig>>;

/** A digest-only alert, as `mcp-write` at the default rules raises for most write calls. */
const digestOnly = (r: Rig, i: number) =>
  r.raise(
    {
      ruleId: "mcp-write",
      severity: "low",
      notify: false,
      groupKey: `mcp-write|acc-w${i}`,
      title: `createJiraIssue by Person ${i}`,
      createdAt: r.clock.now(),
    },
    { userId: ALICE },
  );

/** Grows an alert by one more call of Alice's, as detection does. */
const grow = (r: Rig, id: number, notify: boolean) => {
  r.activity([{ userId: ALICE }]);
  const seq = r.stores.events.maxSeq("org-1");
  r.alerts.grow(
    { id, orgId: "org-1" },
    { seq, time: r.clock.now(), late: false, tools: ["createJiraIssue"], severity: "low", notify },
    r.clock.now(),
  );
};

/** A rig whose responder opened the Home after the worker's first look. */
async function looked() {
  const r = await homeRig();
  await r.home.refreshChanged(); // the worker's first look
  await r.openHome(RESPONDER);
  await r.homeOf(RESPONDER, 1);
  return r;
}

describe("a responder's Home and the alerts kept out of the channel", () => {
  it("is not published again for an hour of digest-only alerts, raised and grown", async () => {
    const r = await looked();
    const before = JSON.stringify(r.slack.home(RESPONDER)?.blocks);
    // One working hour: a write call every 30 s raises a digest-only alert or grows one.
    let last = 0;
    for (let i = 1; i <= 120; i++) {
      r.clock.advance(30_000);
      if (i % 2 === 1) last = digestOnly(r, i);
      else grow(r, last, false);
      await r.home.refreshChanged();
    }
    await r.settled();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(1);
    expect(JSON.stringify(r.slack.home(RESPONDER)?.blocks)).toBe(before);
    const rows = r.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'home'").pluck().get();
    expect(rows).toBe(1);
  });

  it("is published again when one grows into the channel, and when a posted alert changes", async () => {
    const r = await looked();
    const quiet = digestOnly(r, 1);
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    await r.settled();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(1);
    // A finding for the channel joins it: now it is listed.
    grow(r, quiet, true);
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    expect((await r.homeOf(RESPONDER, 2)).text).toContain("createJiraIssue by Person 1");
    // It grows again, then is acknowledged: each shows anew, once.
    grow(r, quiet, true);
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    await r.homeOf(RESPONDER, 3);
    r.stores.trail.change("org-1", quiet, "acknowledged", RESPONDER, r.clock.now(), () => true);
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    await r.home.refreshChanged();
    expect((await r.homeOf(RESPONDER, 4)).text).not.toContain("createJiraIssue by Person 1");
    await r.settled();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(4);
  });

  it("sees a posted alert's change written after a look with a time from before it", async () => {
    const r = await looked();
    const id = r.raise({ title: "raised for the channel", createdAt: r.clock.now() });
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    await r.homeOf(RESPONDER, 2);
    const at = r.clock.now();
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    // Handled by a writer that read the time before that look (a long transaction, another process).
    r.stores.trail.change("org-1", id, "acknowledged", RESPONDER, at, () => true);
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    expect((await r.homeOf(RESPONDER, 3)).text).not.toContain("raised for the channel");
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    await r.settled();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(3);
  });
});
