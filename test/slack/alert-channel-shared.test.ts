/**
 * With SLACK_RESPONDERS set, an alert channel shared with another organization (Slack Connect) is
 * still the alert channel, and its sharing is said in the log and in /healthz, never making the
 * bot unhealthy. The assembled app in HTTP mode, the fake Slack Web API on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from "vitest";
import { healthz } from "../helpers/health.js";
import { CHANNEL, closeHttpRig, httpRig, RESPONDER } from "./http-rig.js";

afterEach(closeHttpRig);

interface Health {
  ok: boolean;
  slack: { ok: boolean; alertChannelSharedExternally: boolean | null };
}

describe("an alert channel shared with another organization, SLACK_RESPONDERS set", () => {
  it("is said in the log at start and in /healthz, which stays healthy", async () => {
    const r = await httpRig({
      channel: { is_private: true, is_shared: true, is_ext_shared: true },
      env: { SLACK_RESPONDERS: RESPONDER },
    });
    const said = r.logs
      .lines()
      .filter((l) => Number(l.level) === 40 && String(l.msg).includes("Slack Connect"));
    expect(said.map((l) => l.msg)).toEqual([
      expect.stringContaining(`the alert channel ${CHANNEL} is shared with another organization`),
    ]);
    const health = await healthz<Health>(r.port);
    expect(health.body.slack).toMatchObject({ ok: true, alertChannelSharedExternally: true });
    expect(health.status).toBe(200);
  }, 20_000);

  it("a channel of this workspace alone is said to be none", async () => {
    const r = await httpRig({ env: { SLACK_RESPONDERS: RESPONDER } });
    const health = await healthz<Health>(r.port);
    expect(health.body.slack).toMatchObject({ alertChannelSharedExternally: false });
    expect(r.logs.text()).not.toContain("Slack Connect");
  }, 20_000);
});
