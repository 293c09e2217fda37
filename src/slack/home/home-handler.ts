import type { OutboxStore } from "../../store/outbox.js";
import type { KindHandler } from "../outbox/poster-options.js";

/** The outbox kind of an App Home view. */
export const HOME_KIND = "home";

/**
 * An older view is never published after a newer one: one being sent when the newer was queued
 * (which supersede leaves to finish) and then met by an error is dropped, not tried again.
 */
export function homeHandler(outbox: Pick<OutboxStore, "hasNewer">): KindHandler {
  return {
    stale: (item) =>
      outbox.hasNewer(item) ? "a newer view of the Home follows it, or was sent" : undefined,
  };
}
