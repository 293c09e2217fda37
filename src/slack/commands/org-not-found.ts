import type { WatchedOrgs } from "../../organizations.js";
import { errorReply, type Reply } from "../blocks/query.js";
import { truncate } from "../escape.js";

/**
 * The answer to an `org:` that names no watched organization, or a name several share: the
 * watched organizations to choose from by id, each on a line of its own.
 */
export function orgNotFound(orgs: WatchedOrgs, org: string, examples: readonly string[]): Reply {
  const message =
    orgs.named(org).length > 1
      ? `several watched organizations are called "${truncate(org, 80)}"`
      : `no watched organization is called "${truncate(org, 80)}"`;
  const which = orgs.several
    ? `one of the ${orgs.ids.length} watched organizations`
    : "the watched organization";
  return errorReply({
    message,
    suggestion: `give the id or the name of ${which} below`,
    choices: orgs.listed(),
    examples,
  });
}
