import type { UnseenValue } from "../../query/unseen-values.js";
import { mrkdwn } from "../escape.js";

/** Says that no stored call had a `tool:` or `site:` value, with the nearest one that did. */
export function neverUsed({ key, value, nearest }: UnseenValue): string {
  const said = `No stored MCP call has \`${key}:${mrkdwn(value, 200)}\`.`;
  if (nearest !== undefined) return `${said} Did you mean \`${key}:${mrkdwn(nearest, 200)}\`?`;
  return key === "tool"
    ? `${said} A tool is named exactly, like \`tool:createJiraIssue\`.`
    : `${said} A site is named by its host, like \`site:acme.atlassian.net\`.`;
}
