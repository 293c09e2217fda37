/**
 * Beta's API key is refused (so its name is not known either): its digest cannot be made, and the
 * channel is told so at the digest's time, pointed at where Beta's error is (not the first
 * organization's, healthy).
 */
import { afterEach, expect, it } from "vitest";
import { cronAt } from "../helpers/cron.js";
import { healthz } from "../helpers/health.js";
import { until } from "../helpers/until.js";
import { CHANNEL, type Rig, startRig } from "./rig.js";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

it("the notice of Beta's digest not made points at Beta's error", async () => {
  // A daily digest due once the bot has started, with Beta's key refused by then.
  const digestAt = Date.now() + 20_000;
  rig = await startRig({
    env: { ATLASSIAN_API_KEY: "key-0,key-WRONG,key-2", DIGEST_CRON: cronAt(digestAt) },
    backfills: 2,
  });
  expect(Date.now(), "the bot started before the digest's time").toBeLessThan(digestAt);
  const r = rig;
  const notice = () =>
    r.slack.messages(CHANNEL).find((m) => m.text.includes("cannot be made"))?.text;
  await until(
    () => notice() !== undefined,
    "the notice of the digest not made",
    digestAt - Date.now() + 20_000,
  );
  const said = notice() as string;
  // Its key refused, Beta's name is not known: its id, once.
  expect(said).toContain("the Atlassian audit log of org-beta has not been read");
  expect(said).toContain(
    "See `/healthz` (`organizations[1].poller.lastError`) or `/mcp-activity status` (under org-beta).",
  );
  const health = await healthz<{
    poller: { lastError: unknown; backfilling: boolean };
    organizations: {
      orgId: string;
      poller: {
        lastError: { message: string } | null;
        backfilling: boolean;
        historyUnread: string | null;
      };
    }[];
  }>(r.app.port);
  // Where the notice points, Beta's error; the top-level section is Alpha's, healthy.
  expect(health.body.organizations[1]?.orgId).toBe("org-beta");
  expect(health.body.organizations[1]?.poller.lastError?.message).toContain("API key was rejected");
  expect(health.body.poller.lastError).toBeNull();
  // Beta's history is left unread until its key is fixed (not being read); Alpha's was read.
  expect(health.body.organizations[1]?.poller).toMatchObject({
    backfilling: false,
    historyUnread: "apiKeyRejected",
  });
  expect(health.body.poller.backfilling).toBe(false);
}, 90_000);
