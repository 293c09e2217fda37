import { join } from "node:path";
import type { WebClient } from "@slack/web-api";
import type { Clock } from "../../clock.js";
import type { ActivityFilter, PageCursor } from "../../domain/activity.js";
import type { WatchedOrgs } from "../../organizations.js";
import { adminActNote } from "../../query/admin-rules.js";
import { describeQuery, parseQuery, type Query } from "../../query/parse.js";
import { peopleMeant } from "../../query/people-meant.js";
import {
  type Asker,
  type Resolution,
  resolvePeople,
  runActivity,
  toFilter,
  unknownName,
} from "../../query/run.js";
import { unseenValue } from "../../query/unseen-values.js";
import type { Repositories } from "../../store/repositories.js";
import { LIMITS } from "../blocks/limits.js";
import {
  type AnswerNotes,
  activityReply,
  errorReply,
  notesText,
  noticeReply,
  type Reply,
} from "../blocks/query.js";
import type { SlackDirectory } from "../directory.js";
import { mrkdwn } from "../escape.js";
import type { Responders } from "../responders.js";
import { sendFile, withExportFolder, writeCsv } from "./export.js";
import { nobodyCalled, whichPerson } from "./person-words.js";
import { emailWithheld, profileUnread } from "./profile-unread.js";
import { type KeptAnswer, type Organization, organizationAsked } from "./query-organization.js";
import { leaveTurn } from "./question-gate.js";
import { neverUsed } from "./unseen-words.js";

export interface QueryDeps {
  readonly store: Repositories["activity"];
  readonly clock: Clock;
  readonly orgs: WatchedOrgs;
  readonly responders: Responders;
  /** Slack users' profiles, cached: e-mails of mentions. */
  readonly directory: Pick<SlackDirectory, "mentionedEmail">;
  /** Rows an export holds at most (EXPORT_MAX_ROWS unless told). */
  readonly maxExportRows?: number | undefined;
  /** Whether the organization's first poll is still reading its history (no answer is whole yet). */
  readonly backfilling?: (orgId: string) => boolean;
  /** The time before which retention deleted the organization's events, if `since` is before it. */
  readonly prunedBefore?: (orgId: string, since: number) => number | undefined;
}

/** A question to export: what was asked, about which organization, and what its answer leaves out. */
interface Asked {
  readonly query: Query;
  readonly org: Organization;
  readonly filter: ActivityFilter;
  readonly notes: AnswerNotes;
}

/** A Show more or Export CSV click: what its button kept of the answer shown. */
export interface Click extends KeptAnswer {
  /** Where Show more goes on from. */
  readonly before?: PageCursor | undefined;
  readonly exportCsv: boolean;
  /** When the answer was made: its relative times mean what they meant then. */
  readonly asOf?: number | undefined;
}

/** Who asks a question: what they may see, and their time zone (for dates they type and read). */
export interface Person {
  readonly asker: Asker;
  readonly timeZone: string;
  /** Whether they respond could not be told now (a look-up failed): said instead of a refusal. */
  readonly untold?: string | undefined;
}

/** Who a Slack user is, for a question they ask: their e-mail, time zone, and whether they respond. */
export async function whoAsks(
  directory: Pick<SlackDirectory, "self">,
  userId: string,
  responders: Responders,
): Promise<Person> {
  const [{ user, email, unread }, check] = await Promise.all([
    directory.self(userId).then(
      (self) => ({ ...self, unread: self.withheld && emailWithheld("your", self.withheld) }),
      (error: unknown) => ({ user: undefined, email: null, unread: profileUnread("your", error) }),
    ),
    responders.check(userId),
  ]);
  return {
    asker: { slackUserId: userId, email, responder: check.ok, unread },
    timeZone: user?.tz ?? "UTC",
    untold: !check.ok && check.retryable ? check.message : undefined,
  };
}

/**
 * The answer to an activity query (`user:alice since:7d`, Show more, Export CSV): parsed, checked
 * against who asks and which organization, then run on the store or exported as a CSV file to the
 * asker's direct messages (one export each at a time).
 */
export function queryAnswerer(deps: QueryDeps) {
  const { store, orgs } = deps;
  const organizationOf = organizationAsked(deps);
  /** People whose export is being prepared: one at a time each. */
  const exporting = new Set<string>();

  /** The asker's e-mail when the query is about them alone (`user:me`, their own mention). */
  const aboutAsker = (query: Query, person: Person, resolved: Resolution & { ok: true }) => {
    if (resolved.emailOnly) return resolved.people;
    const self = query.users.every(
      (u) => u.kind === "me" || (u.kind === "slack" && u.id === person.asker.slackUserId),
    );
    return self ? resolved.people : [];
  };

  const emailOf = (id: string) =>
    deps.directory.mentionedEmail(id).then(
      ({ email, withheld }) =>
        withheld ? { unread: emailWithheld(`<@${id}>'s`, withheld) } : email,
      (error: unknown) => ({ unread: profileUnread(`<@${id}>'s`, error) }),
    );

  /**
   * Whether the answer is not whole yet: its organization's first poll still reads the history.
   * To someone who named an organization and may not learn whether it is watched: any's.
   */
  const backfilling = (orgId: string, told: boolean) =>
    told
      ? deps.backfilling?.(orgId) === true
      : orgs.ids.some((id) => deps.backfilling?.(id) === true);

  /** What the answer leaves out; to someone who may not learn what is watched, any org's. */
  const notesFor = (orgId: string, since: number, told: boolean): AnswerNotes => {
    const cuts = (told ? [orgId] : orgs.ids).flatMap((id) => deps.prunedBefore?.(id, since) ?? []);
    return {
      backfilling: backfilling(orgId, told),
      prunedBefore: cuts.length === 0 ? undefined : Math.max(...cuts),
    };
  };

  /**
   * Parses, checks who may ask, runs; the reply, or a file export when asked for CSV. A button's
   * `click` acts on the answer shown: its time, its organization, where it goes on from.
   */
  async function activity(
    client: WebClient,
    person: Person,
    text: string,
    click?: Click,
  ): Promise<Reply> {
    const asOf = click?.asOf ?? deps.clock.now();
    const parsed = parseQuery(text, { now: asOf, timeZone: person.timeZone });
    if (!parsed.ok) return errorReply(parsed.error);
    const query = parsed.query;
    const { responder } = person.asker;
    // Refused as no responder; but one who may be is told to try again (failing closed).
    const refused = (text: string) => noticeReply(person.untold ?? text);
    // How responders handled alerts is theirs: someone an alert is about would learn of it.
    if (!responder && (query.rules.length > 0 || query.statuses.length > 0))
      return refused(
        "`rule:` and `status:` are for responders. Ask about your own activity (without them): `/mcp-activity user:me since:7d`.",
      );
    const resolved = await resolvePeople(query.users, person.asker, emailOf);
    if (!resolved.ok) {
      return resolved.reason === "only-self"
        ? refused(
            `You can ask about your own activity: \`/mcp-activity user:me since:7d\`. To see other people's, ask ${deps.responders.describe()}.`,
          )
        : noticeReply(resolved.reason);
    }
    const org = organizationOf(query, responder, aboutAsker(query, person, resolved), click);
    if (!("orgId" in org)) return org;
    const told = responder || query.org === undefined;
    // Someone asking about themselves is matched by their address alone (`own`, below).
    const meant = resolved.emailOnly
      ? undefined
      : peopleMeant(store, org.orgId, resolved.people, asOf);
    // Someone not a responder asks about themselves: shown nothing before the cut (toFilter).
    const notes = {
      ...notesFor(org.orgId, query.since, told),
      fromCut: !responder,
      handedOver: meant?.handedOver ?? [],
    };
    if (meant) {
      if (meant.unclear) return noticeReply(whichPerson(meant.unclear));
      // Names typed: `me` or a mention is someone, whether or not they made calls.
      const typed = query.users.flatMap((u) => (u.kind === "text" ? [u.value] : []));
      const unknown = unknownName(store, org.orgId, typed);
      if (unknown)
        return noticeReply(
          nobodyCalled(unknown, orgs.several ? orgs.name(org.orgId) : undefined, notes),
        );
    }
    // Their own accounts are those holding their address now, whatever the window asked.
    const own = resolved.emailOnly
      ? { heldAt: deps.clock.now(), cut: notes.prunedBefore }
      : undefined;
    const filter = toFilter(query, store, meant?.names ?? resolved.people, org.orgId, own);
    if (click?.exportCsv || query.format === "csv")
      return exportTo(client, person, { query, org, filter, notes });
    const canonical = describeQuery(query);
    // The organization, when the query names none: a click answers about it, not another. Only
    // one the answer names: to someone else, nothing tells whether or which one is watched.
    const o = query.org === undefined && org.named ? org.orgId : undefined;
    const value = (b?: PageCursor) => {
      const json = JSON.stringify({ v: 2, q: canonical, ...(b ? { b } : {}), n: asOf, o });
      return json.length <= LIMITS.buttonValue ? json : undefined;
    };
    const result = await runActivity(store, filter, query.limit, click?.before, responder);
    // Which tools and sites the organization's calls used is for responders, as the people are.
    const unseen =
      responder && result.summary.calls === 0 ? unseenValue(store, org.orgId, query) : undefined;
    const admin = result.summary.calls === 0 ? adminActNote(query) : undefined;
    return activityReply(
      `${org.heading} · ${canonical}`,
      result,
      { more: value, export: value() },
      notes,
      (unseen && neverUsed(unseen)) ?? (admin && `${mrkdwn(admin, 500)}.`),
    );
  }

  async function exportTo(
    client: WebClient,
    person: Person,
    { query, org, filter, notes }: Asked,
  ): Promise<Reply> {
    const userId = person.asker.slackUserId;
    if (!userId)
      return noticeReply("I cannot tell who asked, so there is nobody to send the file to.");
    if (exporting.has(userId))
      return noticeReply(
        "Your previous export is still being prepared; it arrives by direct message.",
      );
    exporting.add(userId);
    try {
      // With several organizations, the file and its comment say whose rows they are.
      const whose = org.named ? `-${org.orgId.replace(/[^\w-]+/g, "-")}` : "";
      const name = `mcp-activity${whose}-${new Date(deps.clock.now()).toISOString().slice(0, 10)}.csv`;
      const result = await withExportFolder(async (dir) => {
        const path = join(dir, name);
        await store.readAlerted(filter);
        const written = await writeCsv(store, filter, path, deps.maxExportRows);
        // Slack taking the file holds nobody else's question up.
        leaveTurn();
        await sendFile(client, {
          user: userId,
          path,
          filename: name,
          comment: [
            `${mrkdwn(org.heading, 300)}: ${mrkdwn(describeQuery(query), 1000)}`,
            notesText(notes),
          ]
            .filter(Boolean)
            .join("\n"),
        });
        return written;
      });
      const cut = result.capped
        ? ` It stops at ${result.rows} rows: narrow the query for the rest.`
        : "";
      const left = notesText(notes);
      const of = org.named ? ` of ${mrkdwn(org.heading, 300)}` : "";
      return noticeReply(
        `The CSV${of} (${result.rows} rows, ${result.bytes} bytes) is in your direct messages with me.${cut}${left ? ` ${left}` : ""}`,
      );
    } finally {
      exporting.delete(userId);
    }
  }

  return activity;
}
