import { AtlassianClient } from "../atlassian/client.js";
import { systemClock } from "../clock.js";
import type { IngestConfig, OrganizationConfig } from "../config.js";
import { buildCatalog, mcpActionKeys } from "../ingest/classify.js";
import { visibleOrg } from "../ingest/org-access.js";
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
  logger: Logger,
): Promise<string> {
  const client = new AtlassianClient({
    baseUrl: config.atlassian.apiBaseUrl,
    orgId: org.orgId,
    apiKey: org.apiKey,
    clock: systemClock,
    logger: logger.child({ component: "atlassian" }),
  });
  const { name } = await visibleOrg(client);
  const keys = mcpActionKeys(buildCatalog(await client.eventActions()));
  const page = await client.streamPage({ from: systemClock.now() - DAY, limit: 100 });
  const more = page.next && page.items.length > 0 ? ", and more after it" : "";
  return (
    `the key sees ${name ? `${name} (${org.orgId})` : org.orgId} and reads its audit log: ` +
    `${counted(page.items.length, "event")} on the first page of the last day${more}\n` +
    `MCP actions Atlassian names: ${keys.join(", ") || "none yet (they are also found in the events once stored)"}\n` +
    "nothing was stored\n"
  );
}
