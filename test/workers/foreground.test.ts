import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { Foreground } from "../../src/workers/foreground.js";

describe("foreground", () => {
  it("lets background work go on a later turn when nothing interactive runs", async () => {
    const foreground = new Foreground();
    const order: string[] = [];
    const background = foreground.yieldTo().then(() => order.push("background"));
    order.push("now");
    await background;
    expect(order).toEqual(["now", "background"]);
  });

  it("holds background work while a listener runs, and lets it go once it ended", async () => {
    const foreground = new Foreground();
    const order: string[] = [];
    let finish = () => {};
    const listener = foreground.around(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            order.push("listener done");
            resolve();
          };
        }),
    );
    const background = foreground.yieldTo().then(() => order.push("background"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(foreground.busy()).toBe(true);
    expect(order).toEqual([]);
    finish();
    await Promise.all([listener, background]);
    expect(order).toEqual(["listener done", "background"]);
  });

  it("never holds background work for long, even while requests keep coming", async () => {
    const foreground = new Foreground();
    const end = foreground.begin(); // a request that never ends
    await foreground.yieldTo(); // resolves all the same
    expect(foreground.busy()).toBe(true);
    end();
    end(); // a second end changes nothing
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(foreground.busy()).toBe(false);
  });

  it("counts an HTTP request as interactive until its response is closed", async () => {
    const foreground = new Foreground();
    const seen: boolean[] = [];
    const server = createServer(
      foreground.handler((_req, res) => {
        seen.push(foreground.busy());
        res.end("ok");
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("ok");
      expect(seen).toEqual([true]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(foreground.busy()).toBe(false);
    } finally {
      server.close();
    }
  });
});
