import type { z } from "zod";
import type { ActionInfo } from "../domain/event.js";
import type { Logger } from "../logger.js";
import { cursorOf } from "./cursors.js";
import type { listSchema } from "./schemas.js";

/** The catalogue as read; not `complete` when it named more pages than were read. */
export interface EventActions {
  readonly actions: ActionInfo[];
  readonly complete: boolean;
}

/** Pages of /event-actions read at most: each fetch of the catalogue is a full read. */
export const MAX_ACTION_PAGES = 100;

/**
 * Every action key with its display and group names, following pages: past an empty one that
 * names a next cursor (a sparse page), to a page that names none or one already asked. A
 * catalogue longer than MAX_ACTION_PAGES is read that far, and said.
 */
export async function readEventActions(
  page: (cursor: string | undefined) => Promise<z.infer<typeof listSchema>>,
  logger: Logger,
): Promise<EventActions> {
  const actions: ActionInfo[] = [];
  const asked = new Set<string>();
  let cursor: string | undefined;
  for (let read = 0; read < MAX_ACTION_PAGES; read++) {
    const body = await page(cursor);
    for (const entry of body.data) {
      actions.push({
        action: entry.id,
        displayName: entry.attributes?.displayName ?? null,
        groupName: entry.attributes?.groupDisplayName ?? null,
      });
    }
    const next = cursorOf(body.meta?.next, body.links?.next);
    if (!next || asked.has(next)) return { actions, complete: true };
    asked.add(next);
    cursor = next;
  }
  logger.warn(
    { pages: MAX_ACTION_PAGES, actions: actions.length },
    `the action catalogue (/event-actions) names a next page after ${MAX_ACTION_PAGES} pages: read that far (${actions.length} actions); an action listed after that is not known`,
  );
  return { actions, complete: false };
}
