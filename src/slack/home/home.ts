import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock.js";
import type { PersonHome, ResponderHome } from "../../domain/home.js";
import type { Logger } from "../../logger.js";
import type { WatchedOrgs } from "../../organizations.js";
import type { Repositories } from "../../store/repositories.js";
import { isTimeZone } from "../../time-zone.js";
import { Loop, type Worker } from "../../workers/worker.js";
import { handledRoom } from "../blocks/home-handled.js";
import { personHome } from "../blocks/home-person.js";
import { homeLayout, responderHome } from "../blocks/home-responder.js";
import type { HomeView } from "../blocks/home-view.js";
import type { SlackDirectory } from "../directory.js";
import { classifySlackError, lacksScope, missingScopeWords } from "../failure.js";
import { PRIORITY } from "../outbox/priority.js";
import type { Responders } from "../responders.js";
import { HOME_KIND } from "./home-handler.js";
import {
  handledLately,
  type OrganizationFacts,
  organizationGlance,
  organizationHome,
} from "./organization-home.js";
import {
  NO_OWN_EMAIL,
  PROFILE_UNREAD,
  personDays,
  type ShownDays,
  shownDays,
} from "./person-days.js";
import { ShownAlertChanges } from "./shown-alert-changes.js";

/** Opened again within this, the Home is not rebuilt (only the latest view matters anyway). */
const REOPEN_MS = 5_000;
/** After an alert changed, the Homes of responders who opened theirs within this are refreshed. */
const RECENT_MS = 60 * 60_000;
/** Alerts are looked at this often: at most one refresh of each Home per period (the debounce). */
const REFRESH_MS = 30_000;
/** How often people no longer responders are looked for, to take the responder view away. */
const FORMER_EVERY_MS = 5 * 60_000;
/** Homes kept fresh at most (the most recently opened). */
const MAX_TRACKED = 200;
/** A view not published within this is not worth publishing: the next opening builds one. */
const VIEW_DEADLINE_MS = 10 * 60_000;

export interface HomeDeps {
  readonly stores: Pick<
    Repositories,
    | "home"
    | "homeRefresh"
    | "activity"
    | "outbox"
    | "prunedBefore"
    | "alerts"
    | "mutes"
    | "suppressions"
  >;
  /** Slack users' profiles, cached: who opened the Home. The view itself goes through the outbox. */
  readonly directory: Pick<SlackDirectory, "self">;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly responders: Pick<Responders, "check">;
  readonly orgs: WatchedOrgs;
  readonly organizations: () => readonly OrganizationFacts[];
  /** Told when a view was queued, to send it now. */
  readonly queued: () => void;
}

/** Who a Slack user is in Atlassian: their e-mail and time zone, from their Slack profile. */
export interface Person {
  readonly email: string | null;
  readonly timeZone: string;
  /** Whether their Slack profile gave that zone (else UTC stands in). */
  readonly zoneGiven: boolean;
  /** The scope the Slack app lacks for any e-mail to be given (users:read.email). */
  readonly withheld?: string;
}

/**
 * The App Home: built when someone opens it, and kept fresh for responders when alerts change.
 * A responder (checked now, failing closed) sees every organization's alerts and figures; anyone
 * else only their own activity. Each view is queued in the outbox (views.publish, paced and
 * paused like any Slack write); a newer view for the same person replaces one still waiting.
 */
export class HomeTab {
  private readonly log: Logger;
  /** Who opened their Home, when, and whether as a responder: most recent last. */
  private readonly opened = new Map<string, { at: number; responder: boolean }>();
  /** Whose Home is being built after they opened it: opening it again meanwhile adds nothing. */
  private readonly building = new Set<string>();
  private readonly alertChanges: ShownAlertChanges;
  /** When former responders were last looked for (see refreshChanged). */
  private formerChecked = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: HomeDeps) {
    this.log = o.logger.child({ component: "home" });
    this.alertChanges = new ShownAlertChanges(o.stores.homeRefresh);
    this.worker = new Loop({
      name: "home",
      clock: o.clock,
      logger: o.logger,
      failure: "the App Home could not be refreshed",
      every: () => REFRESH_MS,
      waitFirst: true,
      pass: () => this.refreshChanged(),
    });
  }

  /** Refreshes responders' Homes when alerts changed, at most once per 30 seconds. */
  readonly worker: Worker;

  /** Someone opened their Home tab. */
  async open(user: string): Promise<void> {
    const last = this.opened.get(user);
    if (this.building.has(user) || (last && this.o.clock.now() - last.at < REOPEN_MS)) return;
    this.building.add(user);
    try {
      await this.show(user);
    } finally {
      this.building.delete(user);
    }
  }

  /** Builds and queues `user`'s Home now, with a line about what was just done. */
  async show(user: string, notice?: string, undo?: ResponderHome["undo"]): Promise<void> {
    await this.publish(user, notice, true, undo);
  }

  /** Builds and queues a Home; `seen`: the user is looking (opened it, clicked in it). */
  private async publish(
    user: string,
    notice: string | undefined,
    seen: boolean,
    undo?: ResponderHome["undo"],
  ): Promise<void> {
    try {
      const check = await this.o.responders.check(user);
      // Whether they respond could not be told now: their own view, saying why (failing closed).
      const untold = !check.ok && check.retryable ? check.message : undefined;
      const view = check.ok
        ? this.responderView(notice, undo)
        : await this.personView(user, notice ?? untold);
      // A refresh is not a look: the hour of refreshes counts from when the user last looked.
      if (seen) this.remember(user, check.ok);
      this.queue(user, view, check.ok);
    } catch (error) {
      this.log.warn(
        { err: error, user },
        "the App Home could not be built; it is built again when opened",
      );
    }
  }

  /** Who `user` is in Atlassian: the e-mail and time zone of their Slack profile. */
  async person(user: string): Promise<Person> {
    const { user: profile, email, withheld } = await this.o.directory.self(user);
    const zone = profile?.tz;
    const zoneGiven = zone !== undefined && isTimeZone(zone);
    const timeZone = zoneGiven ? zone : "UTC";
    return { email, timeZone, zoneGiven, ...(withheld ? { withheld } : {}) };
  }

  /**
   * Who has this e-mail in an organization now (see `ownPeople`): the Atlassian accounts that have
   * it (an address an account gave up, which someone else may hold in Slack, does not show that
   * account), and the person of the calls naming it and no account id when no account's calls
   * carry it.
   */
  accountsOf(orgId: string, email: string): string[] {
    return this.o.stores.activity.ownPeople(orgId, email, this.o.clock.now());
  }

  /** The days a person's Home shows, in their time zone, newest first (see shownDays). */
  days(person: Person): ShownDays {
    return shownDays(
      this.o.stores.prunedBefore,
      this.o.orgs.ids,
      this.o.clock.now(),
      person.timeZone,
    );
  }

  /**
   * Shows responders' Homes anew if the alerts they show changed since the last look (the worker's
   * pass); and, every 5 minutes, a person's own Home to whoever was last shown a responder's and
   * is one no more.
   */
  async refreshChanged(): Promise<void> {
    if (this.o.clock.now() - this.formerChecked >= FORMER_EVERY_MS) {
      this.formerChecked = this.o.clock.now();
      for (const user of this.o.stores.homeRefresh.responderViewers()) {
        const check = await this.o.responders.check(user);
        if (!check.ok && !check.retryable) await this.publish(user, undefined, false);
      }
    }
    if (!this.alertChanges.look(this.o.clock.now())) return;
    const since = this.o.clock.now() - RECENT_MS;
    for (const [user, seen] of [...this.opened]) {
      if (seen.at < since) this.opened.delete(user);
      else if (seen.responder) await this.publish(user, undefined, false);
    }
  }

  private remember(user: string, responder: boolean): void {
    this.opened.delete(user);
    this.opened.set(user, { at: this.o.clock.now(), responder });
    for (const oldest of this.opened.keys()) {
      if (this.opened.size <= MAX_TRACKED) break;
      this.opened.delete(oldest);
    }
  }

  private queue(user: string, view: HomeView, responder: boolean): void {
    const { outbox } = this.o.stores;
    const now = this.o.clock.now();
    outbox.atomically(() => {
      outbox.supersede(HOME_KIND, user, "replaced by a newer view", now);
      outbox.enqueue(
        {
          key: `home:${user}:${now}:${randomUUID()}`,
          kind: HOME_KIND,
          ref: `home:${user}`,
          method: "views.publish",
          to: { user },
          payload: { text: view.text, blocks: view.blocks },
          priority: PRIORITY.home,
          deadline: now + VIEW_DEADLINE_MS,
          data: { responder },
        },
        now,
      );
    });
    this.o.queued();
  }

  private responderView(notice: string | undefined, undo?: ResponderHome["undo"]): HomeView {
    const now = this.o.clock.now();
    const facts = this.o.organizations();
    const handled = handledLately(
      this.o.stores.home,
      facts.map((f) => f.orgId),
      now,
    );
    const glances = facts.map((f) =>
      organizationGlance(this.o.stores.home, f, this.o.orgs.label(f.orgId)),
    );
    const { limit } = homeLayout(glances, handledRoom(handled));
    const organizations = glances.map((g) => organizationHome(this.o.stores, g, now, limit));
    return responderHome({
      now,
      organizations,
      handled,
      ...(notice ? { notice } : {}),
      ...(notice && undo ? { undo } : {}),
    });
  }

  private async personView(user: string, notice?: string): Promise<HomeView> {
    const now = this.o.clock.now();
    const base: Omit<PersonHome, "days"> = {
      now,
      organizations: Object.fromEntries(
        this.o.orgs.ids.flatMap((id) => {
          const label = this.o.orgs.label(id);
          return label === undefined ? [] : [[id, label]];
        }),
      ),
      ...(notice ? { notice } : {}),
    };
    // No profile (users.info failing, none cached): a view that needs none, saying to try again,
    // or, when the app lacks a scope, what must be added (trying again would not help).
    let unread: string | undefined;
    const person = await this.person(user).catch((error: unknown) => {
      const scope = missingScopeWords(classifySlackError(error));
      unread = scope ? `Your activity cannot be shown: ${scope}.` : PROFILE_UNREAD;
      this.log.warn(
        { err: error, user },
        `a Slack profile could not be looked up (users.info); the App Home says: ${unread}`,
      );
      return undefined;
    });
    if (!person) return personHome({ ...base, days: [], unknown: unread ?? PROFILE_UNREAD });
    if (!person.email) {
      const unknown = person.withheld
        ? `Your activity cannot be shown: ${lacksScope(person.withheld)}.`
        : NO_OWN_EMAIL;
      return personHome({ ...base, days: [], unknown });
    }
    const email = person.email;
    const { windows, deletedBefore } = this.days(person);
    const days = this.o.orgs.ids.flatMap((orgId) =>
      personDays(this.o.stores.home, orgId, this.accountsOf(orgId, email), windows),
    );
    days.sort((a, b) => b.start - a.start || a.orgId.localeCompare(b.orgId));
    this.log.debug({ user, days: days.length }, "a person's App Home");
    return personHome({ ...base, days, deletedBefore });
  }
}
