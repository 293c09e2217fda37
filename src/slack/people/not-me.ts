import { NOT_ME_RULE } from "../../domain/alert.js";
import { keyedBy, keysOfPerson } from "../../domain/person-key.js";
import type { Logger } from "../../logger.js";
import type { HeldCalls } from "../../store/held-calls.js";
import type { HomeStore } from "../../store/home.js";
import { counted } from "../../words.js";
import { applyTriage, type TriageDeps } from "../alerts/triage.js";
import { notMeCover } from "./not-me-said.js";

/** A person's "that was not me" about their own AI-tool activity of a period. */
export interface Denial {
  readonly orgId: string;
  /**
   * Their Atlassian accounts (found by their own Slack e-mail, or recorded when they were asked),
   * or, when no account's calls carry that e-mail, the person its calls naming no account id are
   * (`email:` and the address, as quietKey keys them).
   */
  readonly accountIds: readonly string[];
  /**
   * Every account holding their e-mail, when `accountIds` is fewer (the weekly check asks about
   * one): a Not me said before is looked for under each, as the Home's covers them all.
   */
  readonly ownAccounts?: readonly string[];
  /**
   * The e-mail they were found by: calls naming only it (an API token's) are theirs too, and a
   * mute or suppression of it ends with those of `accountIds`.
   */
  readonly email: string | null;
  readonly since: number;
  readonly until: number;
  /** The period in words, for the alert's title ("on 2025-03-04", "in the week to 2025-03-10"). */
  readonly period: string;
  /**
   * The time zone the period's days are named in, and whose ("Asia/Kolkata, their time"): said
   * beside the period, as readers of the alert may be in other zones.
   */
  readonly zone: string;
  /** Names the period in the alert's group: one alert per person and period. */
  readonly key: string;
  /** Where it was said (App Home, the weekly check). */
  readonly source: string;
  /**
   * What the person was shown of the period (the weekly check's figures): the alert is raised
   * from it when retention deleted the period's calls since.
   */
  readonly shown?: {
    readonly calls: number;
    readonly writes: number;
    readonly deletes: number;
    readonly places: readonly string[];
    readonly name: string | null;
    readonly email: string | null;
    /** The newest call stored when they were read: those stored after were not shown. */
    readonly storedThrough: number | null;
  };
}

export interface NotMeDeps {
  readonly triage: TriageDeps;
  readonly home: HomeStore;
  /** Queues the new alerts of an organization for the channel (its alert producer). */
  readonly produce: (orgId: string) => void;
  readonly logger: Logger;
}

/**
 * The alert raised; or why none was: said already (`told`: the alert the security team has), or
 * no call of the period is stored.
 */
export type Denied =
  | { readonly alertId: number }
  | { readonly refused: string; readonly told?: number };

/** "27 calls, 3 writes, 1 destructive or admin call in OPS, WEB; 26 of them no longer stored" */
function shownWords(shown: Shown, stored: number): string {
  const places = shown.places.slice(0, 3).join(", ");
  const where = places ? ` in ${places}${shown.places.length > 3 ? "…" : ""}` : "";
  const gone =
    stored === 0
      ? "the calls are no longer stored"
      : `${shown.calls - stored} of them no longer stored`;
  return `${counted(shown.calls, "call")}, ${counted(shown.writes, "write")}, ${counted(shown.deletes, "destructive or admin call")}${where}; ${gone}`;
}

type Shown = NonNullable<Denial["shown"]>;

/** "on 2026-11-04 (Asia/Kolkata, their time)" */
function periodWords(denial: Denial): string {
  return `${denial.period} (${denial.zone})`;
}

/** "alert 4", "alerts 4, 1" */
function alertsWords(said: readonly { id: number }[]): string {
  return `${said.length === 1 ? "alert" : "alerts"} ${said.map((s) => s.id).join(", ")}`;
}

const RETENTION_NOTE =
  "retention (RETENTION_DAYS) deleted calls of the period before the answer: the figures are those the person was shown, but for the calls earlier Not me alerts hold";

/**
 * The period as the person was shown it, when retention deleted its calls since: no event to
 * point at (seq 0), the period's bounds for its first and last call.
 */
function deletedSpan(denial: Denial) {
  const shown = denial.shown;
  if (!shown || shown.calls === 0) return undefined;
  return { firstSeq: 0, lastSeq: 0, first: denial.since, last: denial.until - 1, n: shown.calls };
}

/**
 * What the person was shown of the period but for the calls earlier Not mes hold (`held`, still
 * stored: an alert's calls are kept through retention) of those stored when it was shown.
 */
function unheldShown(
  home: HomeStore,
  denial: Denial,
  shown: Shown,
  accounts: readonly string[],
  held: readonly HeldCalls[],
): Shown {
  const { orgId, since, until } = denial;
  const all = home.figures(orgId, since, until, accounts, undefined, shown.storedThrough);
  const left = home.figures(orgId, since, until, accounts, held, shown.storedThrough);
  return {
    ...shown,
    calls: shown.calls - (all.calls - left.calls),
    writes: Math.max(0, shown.writes - (all.writes - left.writes)),
    deletes: Math.max(0, shown.deletes - (all.deletes - left.deletes)),
  };
}

/**
 * Raises a high alert about the person's activity of the period (the calls no earlier Not me
 * holds; refused when there are none), and gives it their "no" through the same path as the
 * answer to "did you do this?" (the triage core): mutes and suppressions covering them end and
 * what they hid is raised again, reminders run, and the alert's thread calls the responders. The
 * caller has checked that `actor` is the person. One transaction.
 */
export function denyActivity(deps: NotMeDeps, denial: Denial, actor: string, now: number): Denied {
  const { stores } = deps.triage;
  const result = stores.outbox.atomically((): Denied => {
    const { orgId, since, until } = denial;
    const all = deps.home.span(orgId, since, until, denial.accountIds) ?? deletedSpan(denial);
    if (!all) return { refused: "No AI-tool activity with your account is recorded then." };
    const cover = notMeCover(
      deps.home,
      orgId,
      { accounts: denial.accountIds, since, until, shown: denial.shown },
      denial.ownAccounts,
    );
    const [said] = cover.said;
    if (said && cover.uncovered.length === 0)
      return {
        refused: `You said so already: the security team has it as ${alertsWords(cover.said)}.`,
        told: said.id,
      };
    // Only the calls no earlier Not me holds: the security team has the others in its alerts.
    const accounts = denial.accountIds.filter((a) => !cover.covered.has(a));
    const stored = deps.home.span(orgId, since, until, accounts, cover.held);
    // None stored: retention deleted those none holds, the period as shown.
    const span = stored ?? deletedSpan(denial) ?? all;
    const event = stored && stores.events.bySeq(stored.firstSeq);
    // Grouped under the first call's account, else the first of theirs: an account, or an
    // address whose calls name no account (`email:` and the address, as quietKey keys it).
    const subject = event?.userId ?? accounts[0] ?? null;
    const [userId, address] = subject === null ? [null, null] : keyedBy(subject);
    const groupKey = `${NOT_ME_RULE}|${subject ?? "unknown"}|${denial.key}`;
    const name = event?.userName ?? denial.shown?.name ?? null;
    const email = event?.userEmail ?? denial.shown?.email ?? address;
    const who = name ?? email ?? userId ?? "this person";
    // Retention deleted calls the person was shown, none holds: say what they saw, but for those
    // earlier Not mes hold.
    const told = cover.deleted > 0 ? denial.shown : undefined;
    const shown = told && unheldShown(deps.home, denial, told, accounts, cover.held);
    const n = (stored?.n ?? 0) + cover.deleted;
    const calls = shown ? shownWords(shown, stored?.n ?? 0) : counted(n, "call");
    const besides = cover.said.length > 0 ? ` besides those in ${alertsWords(cover.said)}` : "";
    const tools = deps.home
      .topTools(orgId, since, until, 10, accounts, cover.held)
      .map((t) => t.key);
    const id = stores.alerts.insert(
      {
        orgId: denial.orgId,
        ruleId: NOT_ME_RULE,
        severity: "high",
        groupKey,
        title: `${who} says the AI-tool activity with their account ${periodWords(denial)} was not them (${calls}${besides})`,
        detail: {
          since: denial.since,
          until: denial.until,
          calls: n,
          source: denial.source,
          accounts,
          ...(told && {
            deleted: RETENTION_NOTE,
            shown: {
              calls: told.calls,
              writes: told.writes,
              deletes: told.deletes,
              places: told.places,
            },
          }),
        },
        userId,
        userName: name,
        userEmail: email,
        authKind: event?.authKind ?? "unknown",
        firstEventSeq: span.firstSeq,
        lastEventSeq: span.lastSeq,
        firstSeen: span.first,
        lastSeen: span.last,
        eventCount: n,
        tools,
        late: false,
        suppressedBy: null,
        notify: true,
        createdAt: now,
      },
      { calls: { since, until, accounts, held: cover.held } },
    );
    // Asked and answering now: the answer's path takes only the answer of the person asked.
    stores.followUps.start(
      denial.orgId,
      id,
      { state: "sending", user: actor },
      deps.triage.reminderAfter(now),
      now,
    );
    deps.produce(denial.orgId);
    // Every mute and suppression covering the person ends: of each account, and of their e-mail.
    applyTriage(
      deps.triage,
      id,
      { kind: "answer", answer: "no" },
      { id: actor, notResponder: null, self: true },
      now,
      keysOfPerson(denial.accountIds, denial.email),
    );
    return { alertId: id };
  });
  if ("alertId" in result)
    deps.logger.warn(
      { user: actor, alertId: result.alertId, orgId: denial.orgId, source: denial.source },
      `a person says AI-tool activity with their account ${periodWords(denial)} was not them: alert ${result.alertId}`,
    );
  return result;
}
