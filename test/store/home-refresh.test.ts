/** Who was last shown a responder's App Home, read from the views the outbox keeps 30 days. */
import { describe, expect, it } from "vitest";
import { freshStore, T } from "./setup.js";

type Store = ReturnType<typeof freshStore>;

/** A Home view of `user`'s, queued at `at`, as the App Home queues them. */
const view = (s: Store, user: string, responder: boolean, at: number) =>
  s.outbox.enqueue(
    {
      key: `home:${user}:${at}`,
      kind: "home",
      ref: `home:${user}`,
      method: "views.publish",
      to: { user },
      payload: { text: "home", blocks: [] },
      priority: 4,
      data: { responder },
    },
    at,
  );

describe("the people last shown a responder's Home", () => {
  it("are those whose newest view was a responder's, whatever came before", () => {
    const s = freshStore();
    for (let i = 0; i < 50; i++) {
      view(s, "UANN", i % 2 === 0, T + i); // her newest (49) is her own
      view(s, "UBEN", i % 2 === 1, T + i); // his newest is a responder's
      view(s, "UCAT", true, T + i);
    }
    view(s, "UDAN", false, T);
    // Other kinds whose refs sort beside the Homes' are not views.
    s.outbox.enqueue(
      {
        key: "homework",
        kind: "notice",
        ref: "home:UEVE",
        method: "chat.postMessage",
        to: { channel: "C1" },
        payload: { text: "not a view" },
        priority: 2,
      },
      T,
    );
    expect(s.homeRefresh.responderViewers().sort()).toEqual(["UBEN", "UCAT"]);
  });

  it("are none when no Home was ever shown", () => {
    expect(freshStore().homeRefresh.responderViewers()).toEqual([]);
  });
});
