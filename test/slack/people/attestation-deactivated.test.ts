/** A deactivated Slack person whose account AI tools still act as: not asked, but told. */
import { expect, it } from "vitest";
import { attestationRig } from "./attestation-rig.js";

it("warns, naming the account, that AI tools acted all week as a deactivated Slack user's account", async () => {
  const r = await attestationRig();
  r.slack.addUser({ id: "UCAROL", email: "carol@example.com", deleted: true }); // 30 calls
  expect(await r.weekly().run()).toBe(1);
  await r.settled();
  await r.poster.drain();
  expect(r.dm("UCAROL")).toHaveLength(0);
  const about = r.logs.lines().filter((l) => JSON.stringify(l).includes("acc-carol"));
  expect(about).toHaveLength(1);
  expect(about[0]).toMatchObject({ level: 40, account: "acc-carol", calls: 30 });
  expect(String(about[0]?.msg)).toMatch(/deactivated Slack account/);
  expect(JSON.stringify(about[0])).not.toContain("carol@example.com");
  const run = r.logs.lines().find((l) => String(l.msg).startsWith("weekly check: 1 direct"));
  expect(run).toMatchObject({ level: 30, deactivated: 1, notInSlack: 0 });
  expect(String(run?.msg)).toMatch(/1 person\(s\) with a deactivated Slack account/);
  expect(String(run?.msg)).not.toMatch(/not found in Slack/);
});
