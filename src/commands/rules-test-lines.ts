import { BASELINE_DAYS } from "../detect/rules/mcp-volume-spike.js";

const minute = (time: number) => `${new Date(time).toISOString().slice(0, 16)}Z`;

/**
 * Said when some calls' mcp-volume-spike baseline reached back past the events retention deleted
 * before `deletedBefore`: judged on part of it, until `until`.
 */
export function partialBaseline(p: {
  readonly until: number;
  readonly deletedBefore: number;
}): string {
  return `mcp-volume-spike: baseline partial for the calls made before ${minute(p.until)}: their ${BASELINE_DAYS} days before reach back to the events retention deleted before ${minute(p.deletedBefore)} (RETENTION_DAYS), so it may alert otherwise than the bot did then`;
}
