import type { WebClient } from "@slack/web-api";

/**
 * The members of the alert channel, or "public" when conversations.info says anyone could join it
 * (public) or another company's people are in it (shared): then its members cannot be trusted.
 */
export async function channelMembers(
  client: WebClient,
  channel: string,
): Promise<ReadonlySet<string> | "public"> {
  const info = (await client.conversations.info({ channel })).channel as
    | {
        is_private?: boolean;
        is_ext_shared?: boolean;
        is_shared?: boolean;
        is_org_shared?: boolean;
      }
    | undefined;
  if (!info?.is_private || info.is_ext_shared || info.is_shared || info.is_org_shared)
    return "public";
  const members = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await client.conversations.members({ channel, limit: 200, cursor });
    for (const id of page.members ?? []) members.add(id);
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return members;
}
