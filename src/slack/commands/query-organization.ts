import type { Clock } from "../../clock.js";
import type { WatchedOrgs } from "../../organizations.js";
import { describeQuery, type Query } from "../../query/parse.js";
import type { Repositories } from "../../store/repositories.js";
import { noticeReply, type Reply } from "../blocks/query.js";
import { mrkdwn } from "../escape.js";
import { orgNotFound } from "./org-not-found.js";

/** The organization a question is about; `named`: its heading names it (several are watched). */
export interface Organization {
  readonly orgId: string;
  readonly heading: string;
  readonly named: boolean;
}

/**
 * What a Show more or Export CSV button kept of its answer: the value's version, and the
 * organization the answer was about when its query named none and the answer named it (version
 * 2: a button made before keeps none).
 */
export interface KeptAnswer {
  readonly version: 1 | 2;
  readonly orgId?: string | undefined;
}

/** The organization of a non-responder's `org:` that names none watched: nothing is stored. */
const UNWATCHED = "\u0000unwatched";

/** The reply to a button whose answer's organization cannot be answered about again. */
function expired(query: Query, why: string): Reply {
  return noticeReply(
    `That button has expired: ${why}. Ask again: \`/mcp-activity ${mrkdwn(describeQuery(query), 1000)}\``,
  );
}

/** Which organization a question is about, and how its answer names it. */
export function organizationAsked(deps: {
  readonly store: Pick<Repositories["activity"], "ownPeople">;
  readonly clock: Clock;
  readonly orgs: WatchedOrgs;
}) {
  const { store, orgs } = deps;

  /**
   * The organization a query asks about, and how its reply names it; `own`: the asker's e-mail
   * when the query is about them alone. Only responders read the list of the organizations
   * watched, or learn whether one is.
   */
  function organizationOf(
    query: Query,
    responder: boolean,
    own: readonly string[],
    kept?: KeptAnswer,
  ): Organization | Reply {
    if (kept && query.org === undefined) {
      if (kept.orgId !== undefined) return keptOrganization(query, responder, own, kept.orgId);
      if (orgs.several) return keptUnnamed(query, responder, own, kept.version);
    }
    const named = orgs.several && responder;
    if (query.org === undefined && orgs.several && own.length > 0) {
      const mine = ownOrganization(own);
      // A responder who made no call is answered as about anyone: the first, said so.
      if (mine.named || !responder) return mine;
    }
    if (query.org === undefined) return anyones(orgs.first, named);
    // Whether an organization is watched is not told to anyone else: one that is not answers as
    // one where they did nothing.
    if (!responder)
      return { orgId: orgs.find(query.org) ?? UNWATCHED, heading: "MCP activity", named: false };
    const orgId = orgs.find(query.org);
    if (orgId === undefined)
      return orgNotFound(orgs, query.org, [
        `org:${orgs.first} since:7d`,
        `org:${orgs.first} status:open`,
      ]);
    return {
      orgId,
      heading: named ? `MCP activity in ${orgs.name(orgId)}` : "MCP activity",
      named,
    };
  }

  /**
   * Someone asking about themselves without `org:`, several watched: the organizations where
   * accounts holding their address made calls (which their App Home shows them), the first
   * answered and the others named; none: the first organization, unnamed.
   */
  function ownOrganization(own: readonly string[]): Organization {
    const mine = ownOrganizations(own);
    const [orgId = orgs.first] = mine;
    if (mine.length === 0) return { orgId, heading: "MCP activity", named: false };
    return ownNamed(orgId, mine);
  }

  /** The organizations where one of `own` (e-mails) is someone who made MCP calls (ownPeople). */
  function ownOrganizations(own: readonly string[]): string[] {
    const now = deps.clock.now();
    return orgs.ids.filter((id) => own.some((e) => store.ownPeople(id, e, now).length > 0));
  }

  /** `orgId`, one of `mine` (where the asker made calls), named, and the others named after it. */
  function ownNamed(orgId: string, mine: readonly string[]): Organization {
    const others = mine.filter((id) => id !== orgId);
    const also =
      others.length === 0
        ? ""
        : ` (you made MCP calls in ${others.map((id) => orgs.name(id)).join(", ")} too; add org: for another)`;
    return { orgId, heading: `MCP activity in ${orgs.name(orgId)}${also}`, named: true };
  }

  /** A question about anyone's activity (or a responder's own, who made no call) in `orgId`. */
  function anyones(orgId: string, named: boolean): Organization {
    if (!named) return { orgId, heading: "MCP activity", named };
    const first =
      orgId === orgs.first
        ? ` (the first of ${orgs.ids.length} organizations; add org: for another)`
        : "";
    return { orgId, heading: `MCP activity in ${orgs.name(orgId)}${first}`, named };
  }

  /**
   * The organization a button's answer was about (its query named none), asked again: while it
   * is watched and the clicker may still see it, as they were answered then. A responder may see
   * any organization; anyone else their own activity only where they made calls now (or, having
   * made none anywhere, in the first, as ownOrganization answers them).
   */
  function keptOrganization(
    query: Query,
    responder: boolean,
    own: readonly string[],
    orgId: string,
  ): Organization | Reply {
    if (!orgs.ids.includes(orgId))
      return expired(
        query,
        responder
          ? `the organization its answer was about (${orgId}) is no longer watched`
          : "your MCP activity is no longer where its answer found it",
      );
    if (!orgs.several) return { orgId, heading: "MCP activity", named: false };
    const mine = own.length > 0 ? ownOrganizations(own) : [];
    if (mine.includes(orgId)) return ownNamed(orgId, mine);
    if (responder) return anyones(orgId, true);
    return expired(query, "your MCP activity is no longer where its answer found it");
  }

  /**
   * A button whose answer named no organization, several watched now: made before buttons kept
   * it (version 1), while one was watched, or (to someone not a responder who had made no calls)
   * about the first, as ownOrganization answers them while they still have none.
   */
  function keptUnnamed(
    query: Query,
    responder: boolean,
    own: readonly string[],
    version: 1 | 2,
  ): Organization | Reply {
    if (version === 1)
      return expired(
        query,
        "it was made by an earlier version of this app, before it said which organization its answer was about",
      );
    if (!responder && ownOrganizations(own).length === 0)
      return { orgId: orgs.first, heading: "MCP activity", named: false };
    return expired(
      query,
      responder
        ? "it was made while one organization was watched"
        : "your MCP activity is no longer where its answer found it",
    );
  }

  return organizationOf;
}
