import type { CallChoice } from "./mcp-call.js";
import type { Site } from "./people.js";
import { hashString, uuidFrom } from "./prng.js";
import { canaryIssue, LEGAL_SPACE, legalPage } from "./resources.js";

/** The seeded calls that touch what ordinary work never does. */
export const SEEDED: Record<
  "canary-read" | "scope-expansion" | "posture-drift",
  (main: Site) => CallChoice
> = {
  "canary-read": (site) => ({
    toolClass: "read",
    tool: "getJiraIssue",
    site,
    resource: canaryIssue,
  }),
  "scope-expansion": (site) => ({
    toolClass: "read",
    tool: "getConfluencePage",
    site,
    resource: legalPage,
  }),
  "posture-drift": (main) => ({
    toolClass: "write",
    tool: "createJiraIssue",
    site: legalSite(main),
  }),
};

/** A site of the org's that no ordinary call uses: only the seeded posture drift writes there. */
function legalSite(main: Site): Site {
  return {
    cloudId: uuidFrom(hashString(`${main.cloudId}:legal`)),
    siteHostName: main.siteHostName.replace(/^(https:\/\/[^.]+)/, "$1-legal"),
    siteName: `${main.siteName}-legal`,
    projects: [["LEG", "Legal"]],
    spaces: [[LEGAL_SPACE, "Legal"]],
  };
}
