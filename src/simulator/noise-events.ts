/** Ordinary audit-log traffic that has nothing to do with MCP. */

import type { AuditItem } from "./audit-json.js";
import { NOISE_ACTIONS } from "./catalog.js";
import {
  type Draft,
  type GenContext,
  message,
  orgItem,
  personActor,
  personLocation,
  pickAdmin,
  pickPerson,
  productItem,
  siteItem,
} from "./common.js";
import type { Person } from "./people.js";
import { at, hashString, type Rng, uuidFrom } from "./prng.js";
import { confluencePage, jiraProject } from "./resources.js";

const GROUPS = [
  "jira-software-users",
  "confluence-users",
  "site-admins",
  "engineering",
  "support-agents",
];

const NOISE: readonly (readonly [string, number])[] = [
  [NOISE_ACTIONS.loggedIn, 35],
  [NOISE_ACTIONS.pageCreated, 15],
  [NOISE_ACTIONS.pageUpdated, 12],
  [NOISE_ACTIONS.addedToGroup, 10],
  [NOISE_ACTIONS.projectSettings, 8],
  [NOISE_ACTIONS.apiTokenCreated, 5],
  [NOISE_ACTIONS.productAccess, 5],
  [NOISE_ACTIONS.userInvited, 4],
  [NOISE_ACTIONS.spacePermissions, 4],
  [NOISE_ACTIONS.removedFromGroup, 2],
];

function userItem(person: Person): AuditItem {
  return { id: person.id, type: "users", attributes: { name: person.name, email: person.email } };
}

/** Ordinary audit-log traffic that has nothing to do with MCP. */
export function noise(ctx: GenContext, rng: Rng): Draft {
  const action = rng.weighted(NOISE);
  const byAdmin =
    action.includes("group") ||
    action === NOISE_ACTIONS.productAccess ||
    action === NOISE_ACTIONS.userInvited;
  const actor = byAdmin ? pickAdmin(ctx.roster, rng) : pickPerson(ctx.roster.people, rng);
  const site = rng.pick(ctx.roster.sites);
  const subject = pickPerson(ctx.roster.people, rng);
  const draft: Draft = {
    action,
    actor: personActor(actor),
    context: [],
    container: [],
    location: personLocation(actor, rng),
  };
  if (action === NOISE_ACTIONS.pageCreated || action === NOISE_ACTIONS.pageUpdated) {
    const page = confluencePage(ctx.seed, site, rng);
    draft.context.push(page.item);
    draft.container.push(siteItem(site), productItem("confluence"));
    if (rng.chance(0.5))
      draft.message = message(
        `${actor.name} ${action === NOISE_ACTIONS.pageCreated ? "created" : "updated"} ${page.label}`,
      );
  } else if (action === NOISE_ACTIONS.projectSettings) {
    draft.context.push(jiraProject(site, rng).item);
    draft.container.push(siteItem(site), productItem("jira"));
  } else if (action === NOISE_ACTIONS.spacePermissions) {
    const [spaceKey, name] = at(site.spaces, rng.int(site.spaces.length));
    draft.context.push({
      id: String(hashString(spaceKey) % 1_000_000),
      type: "confluence-space",
      attributes: { spaceKey, name },
    });
    draft.container.push(siteItem(site), productItem("confluence"));
  } else if (action.includes("group")) {
    const group = rng.pick(GROUPS);
    draft.context.push(userItem(subject), {
      id: uuidFrom(hashString(group)),
      type: "groups",
      attributes: { name: group },
    });
    draft.container.push(orgItem(ctx));
  } else if (action === NOISE_ACTIONS.productAccess || action === NOISE_ACTIONS.userInvited) {
    draft.context.push(userItem(subject));
    draft.container.push(siteItem(site), productItem(rng.pick(["jira", "confluence"])));
  } else if (action === NOISE_ACTIONS.apiTokenCreated) {
    draft.context.push({
      id: uuidFrom(rng.int(0x7fffffff)),
      type: "api-token",
      attributes: { label: rng.pick(["laptop", "scripts", "backup"]) },
    });
  } else if (rng.chance(0.3)) {
    draft.message = message(`${actor.name} logged in`);
  }
  return draft;
}
