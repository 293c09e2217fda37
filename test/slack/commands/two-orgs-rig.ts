import { WatchedOrgs } from "../../../src/organizations.js";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

/** The responder: the one member of the alert channel. */
export const RESPONDER = "URESP";

/**
 * `/mcp-activity` on a bot watching two organizations (org-1 "Acme", org-2 "Umbrella"), a
 * responder and Alice (not one) in the fake Slack, the bot's status healthy.
 */
export async function twoOrgCommands() {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.addUser({ id: "UALICE", email: "alice@example.com" });
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  const orgs = new WatchedOrgs(["org-1", "org-2"], (id) => (id === "org-1" ? "Acme" : "Umbrella"));
  const b = await boltApp(r, (app, responders) =>
    registerCommand(
      app,
      r.commandDeps({
        orgs,
        responders,
        status: () => ({
          healthy: true,
          lastPoll: 0,
          lagSeconds: 1,
          lastEvent: 0,
          mcpActionKeys: [],
          pendingDeliveries: 0,
          quarantined: 0,
          backfilling: null,
          problems: [],
        }),
      }),
    ),
  );
  return { ...r, ...b };
}
