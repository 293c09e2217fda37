import type { Clock } from "../../clock.js";
import type { WatchedOrgs } from "../../organizations.js";
import type { Query } from "../../query/parse.js";
import type { Repositories } from "../../store/repositories.js";
import type { Reply } from "../blocks/query.js";
import { orgNotFound } from "./org-not-found.js";

/** The organization a question is about; `named`: its heading names it (several are watched). */
export interface Organization {
  readonly orgId: string;
  readonly heading: string;
  readonly named: boolean;
}

/** The organization of a non-responder's `org:` that names none watched: nothing is stored. */
const UNWATCHED = "\u0000unwatched";

/** Which organization a question is about, and how its answer names it. */
export function organizationAsked(deps: {
  readonly store: Pick<Repositories["activity"], "holdersOf">;
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
  ): Organization | Reply {
    const named = orgs.several && responder;
    if (query.org === undefined && orgs.several && own.length > 0) {
      const mine = ownOrganization(own);
      // A responder who made no call is answered as about anyone: the first, said so.
      if (mine.named || !responder) return mine;
    }
    if (query.org === undefined) {
      const orgId = orgs.first;
      const heading = named
        ? `MCP activity in ${orgs.name(orgId)} (the first of ${orgs.ids.length} organizations; add org: for another)`
        : "MCP activity";
      return { orgId, heading, named };
    }
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
    const now = deps.clock.now();
    const mine = orgs.ids.filter((id) => own.some((e) => store.holdersOf(id, e, now).length > 0));
    const [orgId = orgs.first, ...others] = mine;
    if (mine.length === 0) return { orgId, heading: "MCP activity", named: false };
    const also =
      others.length === 0
        ? ""
        : ` (you made MCP calls in ${others.map((id) => orgs.name(id)).join(", ")} too; add org: for another)`;
    return { orgId, heading: `MCP activity in ${orgs.name(orgId)}${also}`, named: true };
  }

  return organizationOf;
}
