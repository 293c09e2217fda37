import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ClaimOptions, NewOutboxItem } from "../../src/domain/outbox.js";
import type { Db } from "../../src/store/db.js";
import { openStore } from "../../src/store/open.js";
import { BEFORE_THE_OUTBOX, OutboxStore } from "../../src/store/outbox.js";
import { tempDir } from "../helpers/tmp.js";

const T = Date.UTC(2026, 11, 1, 9, 0);
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function store(): { db: Db; outbox: OutboxStore } {
  const db = openStore(join(tempDir(), "outbox.db"));
  open.push(db);
  return { db, outbox: new OutboxStore(db) };
}

const item = (key: string, over: Partial<NewOutboxItem> = {}): NewOutboxItem => ({
  key,
  kind: "notice",
  method: "chat.postMessage",
  to: { channel: "C1" },
  payload: { text: key },
  priority: 2,
  ...over,
});

const options = (over: Partial<ClaimOptions> = {}): ClaimOptions => ({
  now: T,
  owner: "here:1:a",
  nonce: "n1",
  leaseMs: 60_000,
  lookUpAfterMs: 30_000,
  spacingMs: 1_000,
  kinds: new Set(["notice", "alert"]),
  blocked: () => false,
  alive: () => true,
  ...over,
});

describe("the outbox table", () => {
  it("queues a key once", () => {
    const { outbox } = store();
    const id = outbox.enqueue(item("k"), T);
    expect(outbox.enqueue(item("k", { payload: { text: "other" } }), T)).toBe(id);
    expect(outbox.get(id)?.payload.text).toBe("k");
  });

  it("claims the most urgent first, one a second per destination, others meanwhile", () => {
    const { outbox } = store();
    outbox.enqueue(item("low", { priority: 3 }), T);
    outbox.enqueue(item("high", { priority: 1 }), T);
    outbox.enqueue(item("dm", { priority: 3, to: { user: "U1" } }), T);
    expect(outbox.claimNext(options()).item?.key).toBe("high");
    expect(outbox.claimNext(options()).item?.key).toBe("dm"); // C1 is paced; the DM is not
    expect(outbox.claimNext(options())).toEqual({ pacedUntil: T + 1_000 });
    expect(outbox.claimNext(options({ now: T + 1_000 })).item?.key).toBe("low");
  });

  it("leaves what other kinds, paused methods or a restriction hold back", () => {
    const { outbox } = store();
    outbox.enqueue(item("digest", { kind: "digest" }), T);
    outbox.enqueue(item("file", { method: "files.upload" }), T);
    outbox.enqueue(item("mine"), T);
    const held = {
      blocked: (i: { method: string }) => i.method === "files.upload",
      only: (i: { key: string }) => i.key !== "mine-later",
    };
    outbox.enqueue(item("mine-later", { to: { channel: "C9" } }), T);
    expect(outbox.claimNext(options(held)).item?.key).toBe("mine");
    expect(outbox.claimNext(options({ ...held, now: T + 5_000 }))).toEqual({});
  });

  it("keeps a reply until its parent is delivered, and gives it up when the parent failed", () => {
    const { outbox } = store();
    const parent = outbox.enqueue(item("parent"), T);
    outbox.enqueue(item("reply", { to: { channel: "C2", parentId: parent } }), T);
    const claimed = outbox.claimNext(options());
    expect(claimed.item?.key).toBe("parent");
    expect(outbox.claimNext(options())).toEqual({});
    outbox.settle(parent, "here:1:a", "failed", "msg_too_long", T);
    const orphan = outbox.claimNext(options()).item;
    expect(orphan).toMatchObject({ key: "reply", parentLost: true });
  });

  it("gives a reply its parent's channel and ts once delivered", () => {
    const { outbox } = store();
    const parent = outbox.enqueue(item("parent", { to: { user: "U9" } }), T);
    outbox.enqueue(
      item("update", { method: "chat.update", to: { channel: "", parentId: parent } }),
      T,
    );
    outbox.claimNext(options());
    expect(outbox.delivered(parent, "here:1:a", { channel: "D9", ts: "1.2" }, T)).toBe(true);
    expect(outbox.claimNext(options()).item).toMatchObject({ channel: "D9", targetTs: "1.2" });
  });

  it("claims past any number of items a pause or a pace holds back, and says when the pace ends", () => {
    const { outbox } = store();
    const update = {
      kind: "alert",
      method: "chat.update",
      to: { channel: "C1", ts: "1.1" },
    } as const;
    for (let i = 0; i < 250; i++)
      outbox.enqueue(item(`update-${i}`, { ...update, priority: 0 }), T);
    for (let i = 0; i < 250; i++) outbox.enqueue(item(`dm-${i}`, { to: { user: `U${i}` } }), T);
    outbox.enqueue(item("rollup", { priority: 5 }), T);
    const held = options({ blocked: (i) => i.userId !== null }); // conversations.open is paused
    expect(outbox.claimNext(held).item?.key).toBe("update-0");
    expect(outbox.claimNext(held).item?.key).toBe("rollup"); // its lane is not the updates'
    expect(outbox.claimNext(held)).toEqual({ pacedUntil: T + 1_000 });
    expect(outbox.claimNext({ ...held, now: T + 1_000 }).item?.key).toBe("update-1");
    // A restriction (a command's own items) finds its item past as many that are not its own.
    outbox.enqueue(item("mine", { to: { channel: "C9" }, priority: 5 }), T);
    const mine = options({ only: (i) => i.key === "mine", now: T + 1_000 });
    expect(outbox.claimNext(mine).item?.key).toBe("mine");
    expect(outbox.claimNext(mine)).toEqual({});
  });

  it("gives up a reply whose parent was lost at once, whatever pause or pace holds its method", () => {
    const { outbox } = store();
    const parent = outbox.enqueue(item("parent"), T);
    outbox.enqueue(item("reply", { to: { channel: "C1", parentId: parent } }), T);
    outbox.claimNext(options());
    outbox.settle(parent, "here:1:a", "failed", "msg_too_long", T);
    const paused = options({ blocked: () => true }); // and C1 is paced by the parent's claim
    expect(outbox.claimNext(paused).item).toMatchObject({ key: "reply", parentLost: true });
  });

  it("takes back an expired claim, or one of a process that died, as uncertain", () => {
    const { outbox } = store();
    outbox.enqueue(item("a"), T);
    outbox.enqueue(item("b", { to: { channel: "C2" } }), T);
    outbox.claimNext(options({ owner: "elsewhere:7:x" }));
    outbox.claimNext(options({ owner: `${hostname()}:999999:y`, nonce: "n2" }));
    // Alive and within its lease: left alone.
    expect(outbox.claimNext(options({ owner: "me:1:z" }))).toEqual({});
    // The second owner died: taken back at once, with its nonce kept for the look-up, which
    // waits 30 s from the claim (Slack may still be storing the message it sent).
    const died = (now: number, nonce: string) =>
      outbox.claimNext(
        options({ owner: "me:1:z", nonce, now, alive: (o) => !o.includes("999999") }),
      );
    expect(died(T + 1_000, "n3")).toEqual({});
    const dead = died(T + 30_000, "n3").item;
    expect(dead).toMatchObject({ key: "b", uncertain: true, nonces: ["n2", "n3"], attempts: 2 });
    // The first one's lease ends.
    const late = outbox.claimNext(options({ owner: "me:1:z", nonce: "n4", now: T + 61_000 }));
    expect(late.item).toMatchObject({ key: "a", uncertain: true, nonces: ["n1", "n4"] });
  });

  it("lets a sender whose claim another took record nothing: the other's claim stands", () => {
    const { outbox } = store();
    const id = outbox.enqueue(item("a"), T);
    outbox.claimNext(options({ owner: "me:1:a" }));
    const other = outbox.claimNext(options({ owner: "me:2:b", nonce: "n2", now: T + 91_000 }));
    expect(other.item?.id).toBe(id);
    const at = { channel: "C1", ts: "1.000001" };
    expect(outbox.delivered(id, "me:1:a", at, T + 92_000)).toBe(false);
    expect(outbox.settle(id, "me:1:a", "failed", "too late", T + 92_000)).toBe(false);
    expect(outbox.get(id)).toMatchObject({ state: "claimed" });
    expect(outbox.delivered(id, "me:2:b", at, T + 93_000)).toBe(true);
  });

  it("takes an attempt set further ahead than any wait (before the clock stepped back) as due", () => {
    const { outbox } = store();
    const soon = outbox.enqueue(item("soon", { to: { channel: "C1" } }), T);
    const far = outbox.enqueue(item("far", { to: { channel: "C2" } }), T);
    for (const [id, next] of [
      [soon, T + 10 * 60_000],
      [far, T + 6 * 3_600_000],
    ] as const) {
      outbox.claimNext(options({ only: (i) => i.id === id }));
      outbox.retry(id, "here:1:a", next, { uncertain: false, error: "HTTP 500" });
    }
    // A second later (each destination's pace passed): the far one only.
    expect(outbox.claimNext(options({ now: T + 2_000 })).item?.id).toBe(far);
    expect(outbox.claimNext(options({ now: T + 3_000 }))).toEqual({});
    expect(outbox.nextAttemptAfter(T + 3_000)).toBe(T + 10 * 60_000);
  });

  it("never sends again a message queued again under its key once delivered", () => {
    const { outbox } = store();
    const id = outbox.enqueue(item("once"), T);
    outbox.claimNext(options());
    outbox.delivered(id, "here:1:a", { channel: "C1", ts: "1.000001" }, T + 1);
    expect(outbox.enqueue(item("once"), T + 2)).toBe(id);
    expect(outbox.get(id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(outbox.claimNext(options({ now: T + 60_000 }))).toEqual({});
  });

  it("marks an item tried before the outbox existed, so its message is looked for first", () => {
    const { outbox } = store();
    outbox.enqueue(item("old", { attemptedAt: T - 60_000 }), T);
    expect(outbox.claimNext(options()).item).toMatchObject({
      uncertain: true,
      firstClaimedAt: T - 60_000,
      nonces: [BEFORE_THE_OUTBOX, "n1"],
    });
  });

  it("replaces what an item will send only while it was never tried", () => {
    const { outbox } = store();
    const id = outbox.enqueue(item("k"), T);
    expect(outbox.replacePending("k", { text: "newer" })).toBe(true);
    outbox.claimNext(options());
    outbox.retry(id, "here:1:a", T + 1_000, { uncertain: true, error: "HTTP 500" });
    expect(outbox.replacePending("k", { text: "newest" })).toBe(false);
    expect(outbox.get(id)?.payload.text).toBe("newer");
  });

  it("counts what waits and remembers the last refusal", () => {
    const { outbox } = store();
    outbox.enqueue(item("a", { orgId: "o1" }), T);
    const b = outbox.enqueue(item("b", { kind: "alert", orgId: "o1", ref: "alert:o1:7" }), T + 5);
    outbox.claimNext(options({ kinds: new Set(["alert"]) }));
    outbox.settle(b, "here:1:a", "failed", "invalid_blocks", T + 9);
    expect(outbox.health()).toEqual({
      pendingByKind: { notice: 1 },
      inFlight: 0,
      oldestPendingAt: T,
      lastFailure: { kind: "alert", orgId: "o1", alertId: 7, reason: "invalid_blocks", at: T + 9 },
    });
    expect(outbox.waiting("notice", "o1")).toBe(1);
  });

  it("counts a message queued for later as waiting from when it is due, not from when it was queued", () => {
    const { outbox } = store();
    outbox.enqueue(item("later", { kind: "alert-grew", notBefore: T + 600_000 }), T);
    expect(outbox.health().oldestPendingAt).toBe(T + 600_000);
    outbox.enqueue(item("now", { kind: "alert-grew" }), T + 60_000);
    expect(outbox.health().oldestPendingAt).toBe(T + 60_000);
    // Tried and failing, or held by a rate limit: waiting since it was queued, whenever its next
    // attempt is.
    for (const free of [false, true]) {
      const { outbox: other } = store();
      const id = other.enqueue(item("tried"), T);
      other.claimNext(options());
      other.retry(id, "here:1:a", T + 900_000, { uncertain: false, error: "ratelimited", free });
      expect(other.health().oldestPendingAt).toBe(T);
    }
  });

  it("forgets settled items, but not one a waiting reply still needs", () => {
    const { outbox } = store();
    const parent = outbox.enqueue(item("parent"), T);
    outbox.enqueue(item("reply", { to: { channel: "C1", parentId: parent } }), T);
    const done = outbox.enqueue(item("done", { to: { channel: "C3" } }), T);
    outbox.claimNext(options());
    outbox.delivered(parent, "here:1:a", { channel: "C1", ts: "1.1" }, T);
    outbox.claimNext(options());
    outbox.delivered(done, "here:1:a", { channel: "C3", ts: "1.2" }, T);
    expect(outbox.prune(T + 1, 200)).toBe(1);
    expect(outbox.get(parent)).toBeDefined();
    expect(outbox.get(done)).toBeUndefined();
  });

  it("withdraws what waits about a ref only while none of it may have reached Slack", () => {
    const { outbox } = store();
    const settled: string[] = [];
    const withdraw = (ref: string) =>
      outbox.withdrawUnsent(ref, "withdrawn", T + 1, () => settled.push(ref));
    // Being sent, or sent before with no answer: left for the sender to finish.
    const sending = outbox.enqueue(item("s", { ref: "sending" }), T);
    expect(outbox.claimNext(options()).item?.id).toBe(sending);
    // Never sent: dropped, the producer's record settled with it.
    const waiting = [
      outbox.enqueue(item("w", { ref: "waiting" }), T),
      outbox.enqueue(item("w:reply", { ref: "waiting", to: { channel: "C9" } }), T),
    ];
    const unsure = outbox.enqueue(item("u", { ref: "unsure", attemptedAt: T - 1 }), T);
    expect(withdraw("waiting")).toBe(true);
    expect(waiting.map((id) => outbox.get(id)?.state)).toEqual(["dropped", "dropped"]);
    expect(withdraw("sending")).toBe(false);
    expect(outbox.get(sending)).toMatchObject({ state: "claimed" });
    expect(withdraw("unsure")).toBe(false);
    expect(outbox.get(unsure)).toMatchObject({ state: "pending", uncertain: true });
    expect(settled).toEqual(["waiting"]);
  });
});
