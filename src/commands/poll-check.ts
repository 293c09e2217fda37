import { AtlassianClient } from "../atlassian/client.js";
import type { Clock } from "../clock.js";
import type { IngestConfig, OrganizationConfig } from "../config.js";
import { noActionAtAll } from "../ingest/action-catalogue.js";
import { buildCatalog, mcpActionKeys } from "../ingest/classify.js";
import { listedOrg } from "../ingest/org-access.js";
import type { Logger } from "../logger.js";
import { DAY } from "../time-units.js";
import { counted } from "../words.js";

/**
 * `poll --check`: whether the API key sees the organization and may read its audit log, and the
 * MCP actions Atlassian names, from one page of the last day. Nothing is stored: a database made
 * now would count the days until the bot starts as live, and post them.
 */
export async function checkKey(
  config: IngestConfig,
  org: OrganizationConfig,
  deps: { clock: Clock; logger: Logger; extraMcpKeys: readonly string[] },
): Promise<string> {
  const client = new AtlassianClient({
    baseUrl: config.atlassian.apiBaseUrl,
    orgId: org.orgId,
    apiKey: org.apiKey,
    clock: deps.clock,
    logger: deps.logger.child({ component: "atlassian" }),
  });
  const { name, refused } = await listedOrg(client);
  const page = await client.streamPage({ from: deps.clock.now() - DAY, limit: 100 });
  const more = page.next && page.items.length > 0 ? ", and more after it" : "";
  // Refused the list of organizations, the key is known to read the log alone.
  const reads =
    refused === undefined
      ? `sees ${name ? `${name} (${org.orgId})` : org.orgId} and reads its audit log`
      : `reads the audit log of ${org.orgId}`;
  return (
    `the key ${reads}: ` +
    `${counted(page.items.length, "event")} on the first page of the last day${more}\n` +
    (refused === undefined ? "" : `${refused}\n`) +
    `${await mcpActions(client, deps.extraMcpKeys)}\nnothing was stored\n`
  );
}

/**
 * The MCP actions Atlassian's catalogue names, and those the rules file adds (`mcpActionKeys`);
 * the bot goes on without the catalogue, so may this, refused the key there (401, 403) too: the
 * stream's answer says whether the key is accepted. An answer with no action at all is a failed
 * read, as the bot takes it.
 */
async function mcpActions(client: AtlassianClient, extra: readonly string[]): Promise<string> {
  const added = extra.length > 0 ? `; the rules file adds ${[...extra].sort().join(", ")}` : "";
  try {
    const fetched = await client.eventActions();
    noActionAtAll(fetched);
    const keys = mcpActionKeys(buildCatalog(fetched.actions));
    return `MCP actions Atlassian names: ${keys.join(", ") || "none yet (they are also found in the events once stored)"}${added}`;
  } catch (error) {
    return `the action catalogue (/event-actions) could not be read (${(error as Error).message}): the bot goes on without it, finding MCP calls by their key${added}`;
  }
}
