/**
 * One of the organizations watched is slow: its stream answers nothing for 45 s a request (the
 * client gives up at 30 s and tries again). /healthz says the poll waits for the API, and once a
 * request is tried again, that it retries (see the log): by then the log says so at warn, naming
 * the organization, once for the poll.
 */
import { expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { healthz } from "../helpers/health.js";
import { until } from "../helpers/until.js";
import { startRig } from "./rig.js";

type Health = { organizations: Array<{ poller: { lastError?: { message: string } | null } }> };

it("a slow organization: /healthz points at the log once the log names its trouble", async () => {
  const r = await startRig({ ids: ["org-alpha", "org-gamma"], names: ["Alpha", "Gamma"] });
  closeAfterTest(() => r.close());
  const gamma = r.sims[1] as Simulator;
  gamma.injectFault({ kind: "delay", ms: 45_000 }, { times: 10_000 });
  const from = r.logs.lines().length;
  const gammaWarns = () =>
    r.logs
      .lines()
      .slice(from)
      .filter((l) => l.orgId === "org-gamma" && (l.level as number) >= 40);
  const said = async () => {
    const h = await healthz<Health>(r.app.port);
    return h.body.organizations[1]?.poller.lastError?.message ?? "";
  };
  // Three intervals (15 s) without progress, before the first request's 30 s are up.
  await until(
    async () => (await said()).includes("a poll is still running, waiting for the API to answer"),
    "/healthz saying Gamma's poll waits for the API",
    40_000,
    250,
  );
  expect(gammaWarns()).toEqual([]);
  await until(
    async () => (await said()).includes("retrying the API (see the log)"),
    "/healthz pointing at the log",
    60_000,
    250,
  );
  // The log says it by then, at the default level.
  const [warn, ...more] = gammaWarns();
  expect(warn?.msg).toMatch(
    /^GET \/admin\/v1\/orgs\/org-gamma\/events-stream took longer than 30 s; trying again in \d+ s \(retry 1 of 4; the next ones are logged at debug\)$/,
  );
  expect(more).toEqual([]);
  // The poll's next retry (its third request) is not said again at warn.
  const delayed = () => gamma.requests.filter((q) => q.fault === "delay").length;
  await until(() => delayed() >= 3, "Gamma's third request", 60_000, 250);
  expect(gammaWarns()).toHaveLength(1);
}, 180_000);
