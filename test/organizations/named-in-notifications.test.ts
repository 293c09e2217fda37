/**
 * With several organizations watched, what reaches a person or a responder says which
 * organization it is about, as the alert does: the question's notification, the pointer to the
 * settings, the App Home's thanks.
 */
import { afterEach, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { until } from "../helpers/until.js";
import {
  blockAction,
  buttonValue,
  command,
  homeOpened,
  mcpCall,
  RESPONDER,
  type Rig,
  startRig,
} from "./rig.js";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Dana's call in Alpha and in Gamma, the same day. */
function danaInAlphaAndGamma(r: Rig, id: string) {
  const [alpha, , gamma] = r.sims as [Simulator, Simulator, Simulator];
  r.slack.addUser({ id: "U0DANA", name: "dana", email: "dana@example.com" });
  for (const [sim, prefix] of [
    [alpha, "a"],
    [gamma, "g"],
  ] as const)
    sim.injectEvents([
      mcpCall(sim, `${prefix}-${id}`, "Dana", "getJiraIssue", "acc-dana", "dana@example.com"),
    ]);
}

it("the question to a person names the organization in its notification", async () => {
  rig = await startRig({ names: ["Alpha", "Beta", "Gamma *Labs* <!here>"] });
  const r = rig;
  danaInAlphaAndGamma(r, "d1");
  const asked = () =>
    r.slack
      .callsTo("chat.postMessage")
      .map((c) => String(c.params.text ?? ""))
      .filter((text) => text.startsWith("Did you do this?"));
  await until(() => asked().length === 2, "both questions sent", 30_000);
  expect(asked().sort()).toEqual([
    "Did you do this? First MCP call by Dana — an AI tool used your Atlassian account: getJiraIssue (read) · jira · Alpha",
    "Did you do this? First MCP call by Dana — an AI tool used your Atlassian account: getJiraIssue (read) · jira · Gamma ∗Labs∗ &lt;!here&gt;",
  ]);
}, 120_000);

it("Settings to change on another organization's alert points at that organization's settings", async () => {
  rig = await startRig();
  const r = rig;
  const beta = r.sims[1] as Simulator;
  beta.injectEvents([mcpCall(beta, "b-t1", "Trudy")]);
  await until(() => r.alertsOf("Trudy").length > 0, "Beta's alert", 30_000);
  const [alert] = r.alertsOf("Trudy");
  if (!alert) throw new Error("no alert");
  const value = buttonValue(alert, "alert_settings") as string;
  await r.send(
    "interactive",
    blockAction(r.slack, RESPONDER, "alert_settings", value, "settings-b", { message: alert }),
  );
  await until(() => r.slack.responses.some((x) => x.id === "settings-b"), "the answer");
  const said = JSON.stringify(r.slack.responses.find((x) => x.id === "settings-b")?.body);
  expect(said).toContain("admin.atlassian.com/o/org-beta");
  expect(said).toContain("The full guidance: `/mcp-activity settings org:org-beta`.");
  // Followed, the pointer answers about Beta.
  const followed = await r.send("slash_commands", command("settings org:org-beta"));
  expect(JSON.stringify(followed.payload)).toContain("figures of *Beta*");
}, 120_000);

it("the App Home's thanks for a Not me names the organization of the day denied", async () => {
  rig = await startRig({ names: ["Alpha", "Beta", "Gamma *Labs* <!here>"] });
  const r = rig;
  danaInAlphaAndGamma(r, "d2");
  await until(() => r.alertsOf("Dana").length >= 2, "both stored", 30_000);
  await r.send("events_api", homeOpened("U0DANA"));
  await until(() => r.slack.home("U0DANA") !== undefined, "the Home");
  const home = JSON.stringify(r.slack.home("U0DANA")?.blocks);
  const gammaDay = /"value":"([^"]*\|org-gamma)"/.exec(home)?.[1] as string;
  const day = gammaDay.split("|")[0] as string;
  // The same day is shown twice, once per organization.
  expect(home.match(new RegExp(`"value":"${day}\\|`, "g"))).toHaveLength(2);
  await r.send(
    "interactive",
    blockAction(r.slack, "U0DANA", "home_not_me", gammaDay, "nm", { view: true }),
  );
  await until(() => (r.slack.home("U0DANA")?.publishes ?? 0) >= 2, "the Home again");
  const notice = JSON.stringify(r.slack.home("U0DANA")?.blocks?.[2]);
  expect(notice).toContain(
    `the security team has been told that ${day} in *Gamma ∗Labs∗ &lt;!here&gt;* was not you (alert`,
  );
}, 120_000);
