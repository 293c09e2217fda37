import type { ActivityFilter, ActivityResult, PageCursor } from "../domain/activity.js";
import type { StoredEvent } from "../domain/event.js";
import { ownWindow } from "../retention/own-calls.js";
import type { ActivityStore } from "../store/activity.js";
import { nextTurn, timeBox } from "../wait.js";
import { Tally } from "./aggregate.js";
import { catalogueSpelling } from "./catalogue-spelling.js";
import type { Query, UserRef } from "./parse.js";
import { sparkline } from "./sparkline.js";
import { Windows } from "./windows.js";

/** Who asks: their Slack id, their e-mail (mapped from Slack), and whether they are a responder. */
export interface Asker {
  readonly slackUserId: string | null;
  readonly email: string | null;
  readonly responder: boolean;
  /** Why their e-mail could not be read now (Slack failed the look-up): said, not that they have none. */
  readonly unread?: string | undefined;
}

/** A Slack e-mail that could not be read now, and what the asker is told instead. */
export interface Unread {
  readonly unread: string;
}

export type Resolution =
  /** `emailOnly`: the asker may see only themselves, matched by their e-mail address alone. */
  | { readonly ok: true; readonly people: string[]; readonly emailOnly?: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns `user:` terms into what the store matches (account id, e-mail or name): `me` and Slack
 * mentions become e-mails through `emailOf`. Then applies who may ask: responders anyone, others
 * only themselves.
 */
export async function resolvePeople(
  refs: readonly UserRef[],
  asker: Asker,
  emailOf: (slackUserId: string) => Promise<string | null | Unread>,
): Promise<Resolution> {
  const people: string[] = [];
  for (const ref of refs) {
    if (ref.kind === "text") people.push(ref.value);
    else if (!asker.responder && ref.kind === "slack" && ref.id !== asker.slackUserId) {
      // Someone else: refused below whatever their e-mail, so not looked up in Slack at all.
      return { ok: false, reason: "only-self" };
    } else {
      const email =
        ref.kind !== "me"
          ? await emailOf(ref.id)
          : asker.unread
            ? { unread: asker.unread }
            : asker.email;
      if (email !== null && typeof email === "object") return { ok: false, reason: email.unread };
      if (!email) {
        const reason =
          ref.kind === "me"
            ? "your Slack account gives no e-mail address I can take as yours (it has none, it is unconfirmed, or the account is another company's), so I cannot match it to an Atlassian account."
            : `<@${ref.id}>'s Slack profile gives no e-mail address I can take as theirs (it has none, it is unconfirmed, or the account is another company's), so I cannot match it to an Atlassian account: ask with their Atlassian e-mail or account id.`;
        return { ok: false, reason };
      }
      people.push(email);
    }
  }
  if (asker.responder) return { ok: true, people };
  const own = asker.email?.toLowerCase();
  // Their own e-mail typed, perhaps: not refused as someone else's while theirs cannot be read.
  if (!own && asker.unread && people.length > 0) return { ok: false, reason: asker.unread };
  if (!own || people.length === 0 || people.some((p) => p.toLowerCase() !== own)) {
    return { ok: false, reason: "only-self" };
  }
  // An Atlassian display name equal to someone's e-mail must not show that person's activity.
  return { ok: true, people, emailOnly: true };
}

/** No person is ever this: a filter for people none of whom is known matches nothing. */
const NOBODY = "\u0000nobody";

/** A `user:` name that is nobody whose MCP calls are stored, and the stored one nearest it. */
export interface UnknownName {
  readonly name: string;
  readonly nearest?: string;
}

/**
 * The first `user:` name of a responder's question that is nobody stored: said as such, rather
 * than answered "no activity" as if the person had been quiet.
 */
export function unknownName(
  store: Pick<ActivityStore, "personIds" | "nearestPerson">,
  orgId: string,
  names: readonly string[],
): UnknownName | undefined {
  const name = names.find((n) => store.personIds(orgId, [n]).length === 0);
  if (name === undefined) return undefined;
  const nearest = store.nearestPerson(orgId, name);
  return { name, ...(nearest !== undefined ? { nearest } : {}) };
}

/** Someone who is not a responder asking about themselves: as of when, and retention's cut. */
export interface OwnAsk {
  readonly heldAt: number;
  readonly cut?: number | undefined;
}

/**
 * The store filter of a query; `people` are the names resolved to people by the store (see
 * `personIds`), or, with `own`, e-mail addresses resolved to who asks by them at `heldAt` (see
 * `ownPeople`).
 */
export function toFilter(
  query: Query,
  store: Pick<ActivityStore, "personIds" | "ownPeople">,
  people: readonly string[],
  orgId: string,
  own?: OwnAsk,
): ActivityFilter {
  // Someone asking about themselves is the accounts that have their address now (`heldAt`, not
  // the window's end): not an account that gave the address up, which someone else may hold now.
  const ids =
    people.length === 0
      ? []
      : own !== undefined
        ? [...new Set(people.flatMap((email) => store.ownPeople(orgId, email, own.heldAt)))]
        : store.personIds(orgId, people);
  return {
    orgId,
    // Nothing before the cut for someone asking about themselves: see ownWindow.
    ...ownWindow(query.since, query.until, own?.cut),
    people: people.length > 0 && ids.length === 0 ? [NOBODY] : ids,
    tools: [...new Set([...query.tools, ...query.tools.map(catalogueSpelling)])],
    classes: query.classes,
    products: query.products,
    sites: query.sites,
    actions: query.actions,
    ips: query.ips,
    countries: query.countries,
    auth: query.auth,
    rules: query.rules,
    statuses: query.statuses,
    words: query.words,
  };
}

/** Open alerts listed with an answer about people. */
const OPEN_ALERTS_SHOWN = 10;

const BUCKETS = 24;
/**
 * How long reading one window of a question's time should take. Shorter windows hold the event
 * loop less but cost more in all, each a statement of its own (docs/benchmarks.md, Queries).
 */
const WINDOW_MS = 4;

/**
 * Reads a question's windows one at a time until `read` has enough, letting the event loop in
 * once a slice's time has passed: a wide question (a month of a large organization's calls) does
 * not hold /healthz, the metrics and Slack's other requests while it is read.
 */
async function readWindows(
  windows: Windows,
  read: (since: number, until: number) => "enough" | "more",
): Promise<void> {
  let sliceOver = timeBox();
  for (let window = windows.next(); window; window = windows.next()) {
    const started = performance.now();
    const enough = read(...window) === "enough";
    windows.took(performance.now() - started);
    if (enough) return;
    if (sliceOver()) {
      await nextTurn();
      sliceOver = timeBox();
    }
  }
}

/** Everything a reply shows about a filter: its figures, then a page of its newest events. */
export async function runActivity(
  store: ActivityStore,
  filter: ActivityFilter,
  limit: number,
  before?: PageCursor,
  /** The open alerts about the people asked about: for responders only. */
  withAlerts = true,
): Promise<ActivityResult> {
  const tally = new Tally(filter.since, filter.until, BUCKETS);
  await store.readAlerted(filter);
  const scan = store.scanner(filter);
  await readWindows(new Windows(filter.since, filter.until, WINDOW_MS), (since, until) => {
    tally.add(scan(since, until));
    return "more";
  });
  const latest: StoredEvent[] = [];
  const page = store.pager(filter, before);
  // Rows at the cursor's own time are in its window; the page's condition keeps those before it.
  const pageUntil = before ? Math.min(filter.until, before.time + 1) : filter.until;
  await readWindows(new Windows(filter.since, pageUntil, WINDOW_MS), (since, until) => {
    latest.push(...page(since, until, limit + 1 - latest.length));
    return latest.length > limit ? "enough" : "more";
  });
  const figures = tally.result();
  return {
    summary: figures.summary,
    sparkline: sparkline(figures.histogram),
    topTools: figures.topTools,
    topResources: figures.topResources,
    latest: latest.slice(0, limit),
    more: latest.length > limit,
    // The people asked about, not those with calls in the answer: a quiet window or another term
    // must not hide the alerts about them.
    openAlerts: withAlerts
      ? store.openAlerts(
          filter.orgId,
          filter.people.filter((id) => id !== NOBODY),
          OPEN_ALERTS_SHOWN,
        )
      : { alerts: [], total: 0 },
  };
}
