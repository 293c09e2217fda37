import type { AtlassianClient } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";

/**
 * The organization's name as the API key sees it (undefined when it has none); a wrong id or key
 * is said plainly, with the organizations the key does see.
 */
export async function visibleOrg(
  client: Pick<AtlassianClient, "listOrgs" | "orgId">,
  signal?: AbortSignal,
): Promise<{ name: string | undefined }> {
  const orgs = await client.listOrgs(signal);
  const mine = orgs.find((org) => org.id === client.orgId);
  if (mine) return { name: mine.name };
  const seen =
    orgs.map((org) => (org.name ? `${org.id} (${org.name})` : org.id)).join(", ") || "none";
  throw new AtlassianError(
    "not-found",
    `organization ${client.orgId} is not visible to this API key (it sees: ${seen}): check ATLASSIAN_ORG_ID, or create the key in that organization`,
  );
}
