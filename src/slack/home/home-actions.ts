import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Clock } from "../../clock.js";
import { NOT_ME_HOME_SOURCE } from "../../domain/alert.js";
import type { Logger } from "../../logger.js";
import type { WatchedOrgs } from "../../organizations.js";
import { HOME_ACTIONS } from "../blocks/home-person.js";
import { mrkdwn } from "../escape.js";
import { denyActivity, type NotMeDeps } from "../people/not-me.js";
import type { HomeTab } from "./home.js";

export interface HomeActionDeps {
  readonly home: HomeTab;
  readonly notMe: NotMeDeps;
  readonly orgs: WatchedOrgs;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told when messages were queued, to send them now. */
  readonly queued: () => void;
}

/**
 * The App Home: built when its tab is opened; a person's "Not me" on a day of their own activity
 * raises a high alert about them. Whose activity is always the one who clicked (their Slack
 * e-mail, looked up now): the button names only a day, so nobody can deny for someone else.
 */
export function registerHome(app: App, deps: HomeActionDeps): void {
  const log = deps.logger.child({ component: "home" });

  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return;
    await deps.home.open(event.user);
  });

  app.action<BlockAction<ButtonAction>>(HOME_ACTIONS.notMe, async ({ ack, body, action }) => {
    await ack();
    const user = body.user.id;
    const [day, orgId] = (action.value ?? "").split("|");
    const tell = (notice: string) => deps.home.show(user, notice);
    // One answer whatever the organization id: which ones are watched is for responders alone.
    const gone = "That day is no longer shown here, so nothing was sent.";
    if (!day || !orgId || !deps.orgs.includes(orgId)) {
      await tell(gone);
      return;
    }
    let notice: string;
    try {
      const person = await deps.home.person(user);
      const window = deps.home.days(person).windows.find((w) => w.day === day);
      const accounts = person.email ? deps.home.accountsOf(orgId, person.email) : [];
      if (!window || accounts.length === 0) {
        await tell(gone);
        return;
      }
      const denied = denyActivity(
        deps.notMe,
        {
          orgId,
          accountIds: accounts,
          email: person.email,
          since: window.start,
          until: window.end,
          period: `on ${day}`,
          zone: person.zoneGiven
            ? `${person.timeZone}, their time`
            : "UTC: their Slack profile gives no usable time zone",
          key: `day:${day}`,
          source: NOT_ME_HOME_SOURCE,
        },
        user,
        deps.clock.now(),
      );
      deps.queued();
      // With several organizations the Home shows a day once for each: which one was denied.
      const label = deps.orgs.label(orgId);
      const where = label === undefined ? "" : ` in *${mrkdwn(label, 100)}*`;
      notice =
        "refused" in denied
          ? denied.refused
          : `🚨 Thank you: the security team has been told that ${day}${where} was not you (alert ${denied.alertId}), and will be in touch.`;
    } catch (error) {
      log.error({ err: error, user }, "a 'not me' from the App Home failed");
      notice =
        "Something went wrong, so nothing was sent; try again, or tell the security team directly.";
    }
    await tell(notice);
  });
}
