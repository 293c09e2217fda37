/**
 * A stored cursor the stream no longer takes, refused otherwise than with 400 ADMIN-400-1 (410
 * Gone, another code, a gateway's page): the poll reads by time again, as for ADMIN-400-1. A
 * proxy on 127.0.0.1 in front of the simulator refuses it; a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, rig, storedIds, validIds } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

const apiError = (status: number, code: string) =>
  JSON.stringify({ errors: [{ status: String(status), code, title: "Refused", detail: "gone" }] });

const refusals = [
  { name: "410 Gone", status: 410, body: apiError(410, "ADMIN-410-1") },
  { name: "400 with another code", status: 400, body: apiError(400, "ADMIN-400-4") },
  { name: "400 with a gateway's HTML page", status: 400, body: "<html>Bad Request</html>" },
];

describe("a stored cursor the stream refuses", () => {
  for (const refusal of refusals) {
    it(`(${refusal.name}) is read past by time, in the same poll`, async () => {
      const r = await rig({ hours: 2 });
      await r.poller.pollOnce(); // the backfill, straight from the simulator
      const dead = repositories(r.db).pollStates.get(r.sim.orgId)?.cursor;
      expect(dead).toBeTruthy();
      r.clock.advance(120 * MINUTE);
      const url = await proxy(r.sim.url, async (u, forward) =>
        u.searchParams.get("cursor") === dead
          ? { status: refusal.status, body: refusal.body }
          : forward(u),
      );
      const poller = pollerVia(r, url);
      await poller.pollOnce();
      expect(r.logs.text()).toContain("the stream cursor was refused");
      expect(poller.readThrough()).toBe(r.clock.now());
      expect(validIds(r.sim, r.clock.now()).filter((id) => !storedIds(r.db).includes(id))).toEqual(
        [],
      );
    });
  }
});
