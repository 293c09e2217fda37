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
  const digestAt = Date.now() + 30_000;
  rig = await startRig({
    env: { ATLASSIAN_API_KEY: "key-0,key-WRONG,key-2", DIGEST_CRON: cronAt(digestAt) },
    backfills: 2,
  });
  const r = rig;
  // Until Beta's first poll is refused its history is "still being read", which is no notice.
  const betaError = async () =>
    (await healthz<{ organizations: { poller: { lastError: unknown } }[] }>(r.app.port)).body
      .organizations[1]?.poller.lastError;
  await until(async () => (await betaError()) != null, "Beta's key refused", 25_000);
  expect(Date.now(), "Beta's key was refused before the digest's time").toBeLessThan(digestAt);
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
