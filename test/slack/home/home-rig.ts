/** The App Home on the test rig: the real Bolt app, signed events and clicks, the fake Slack. */
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { WatchedOrgs } from "../../../src/organizations.js";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { HomeTab } from "../../../src/slack/home/home.js";
import { registerHome } from "../../../src/slack/home/home-actions.js";
import { registerAttestationActions } from "../../../src/slack/people/attestation-actions.js";
import { DAY } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { nowSeconds, postSigned } from "../../helpers/slack-sign.js";
import { boltApp, SECRET } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

export const RESPONDER = "URESP";
export const ALICE = "UALICE";
export const BOB = "UBOB";

/**
 * A rig with a responder (member of the private alert channel), Alice and Bob, and the Home; the
 * weekly check's answers too, whose "Not me" is the Home's in another place.
 */
export async function homeRig(o: { queued?: boolean } = {}) {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.addUser({ id: ALICE, email: "alice@example.com", tz: "UTC" });
  r.slack.addUser({ id: BOB, email: "bob@example.com", tz: "UTC" });
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  let home: HomeTab | undefined;
  const b = await boltApp(r, (app, responders) => {
    home = new HomeTab({
      stores: r.stores,
      directory: r.directory,
      clock: r.clock,
      logger: r.logs.logger,
      responders,
      orgs: new WatchedOrgs(["org-1"]),
      organizations: () => [
        {
          orgId: "org-1",
          status: () => ({ healthy: true, lastPoll: T0, lagSeconds: 120, problems: [] }),
          apiKeyExpires: T0 + 10 * DAY,
          apiKeyRejected: () => false,
        },
      ],
      queued: o.queued === false ? () => {} : r.queued,
    });
    const built = home;
    const deps = { ...r.actionDeps({ responders }), home };
    const notMe = {
      triage: deps.triage,
      home: r.stores.home,
      produce: () => r.alertOutbox.produce(),
      logger: r.logs.logger,
    };
    const shared = {
      notMe,
      orgs: new WatchedOrgs(["org-1"]),
      clock: r.clock,
      logger: r.logs.logger,
      queued: r.queued,
    };
    registerAlertActions(app, deps);
    registerHome(app, { home, ...shared });
    registerAttestationActions(app, {
      attestations: r.stores.attestations,
      timeZone: "UTC",
      accountsOf: (orgId, email) => built.accountsOf(orgId, email),
      ...shared,
    });
  });
  if (!home) throw new Error("the Home was not built");
  const tab = home;
  let n = 0;
  /** Stores MCP events of a person (Alice by default). */
  const activity = (events: Array<Partial<NormalizedEvent>>) => {
    const rows = events.map((e) => {
      const base = normalizedEvent();
      return { ...base, id: `home-ev-${++n}`, ...e };
    });
    r.stores.events.insertMany(rows, r.clock.now());
  };
  /** Slack's app_home_opened event for `user`, signed. */
  const openHome = async (user: string) => {
    const body = JSON.stringify({
      token: "t",
      team_id: "T0FAKE",
      api_app_id: "A0APP",
      type: "event_callback",
      event_id: `Ev${++n}`,
      event_time: nowSeconds(),
      event: { type: "app_home_opened", user, channel: "D0HOME", tab: "home", event_ts: "1.2" },
    });
    return postSigned(b.url, body, SECRET, { contentType: "application/json" });
  };
  /** A click on a button of `user`'s Home view (no response URL: Slack sends none from a view). */
  const homeClick = (actionId: string, user: string, value: string) =>
    postSigned(
      b.url,
      `payload=${encodeURIComponent(
        JSON.stringify({
          type: "block_actions",
          team: { id: "T0FAKE" },
          user: { id: user, username: user, team_id: "T0FAKE" },
          api_app_id: "A0APP",
          token: "t",
          trigger_id: `t-${++n}`,
          container: { type: "view", view_id: `V${user}` },
          view: { id: `V${user}`, type: "home", blocks: [] },
          actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" }],
        }),
      )}`,
      SECRET,
    );
  /** Waits for `user`'s Home to have been published `times` times, and returns it as text. */
  const homeOf = async (user: string, times = 1) => {
    await r.slack.waitFor(
      () => (r.slack.home(user)?.publishes ?? 0) >= times,
      5000,
      `${user}'s Home published ${times} time(s)`,
    );
    await r.settled();
    const view = r.slack.home(user);
    return { ...view, text: JSON.stringify(view?.blocks ?? []) };
  };
  return { ...r, ...b, home: tab, activity, openHome, homeClick, homeOf };
}
