import type { Alert } from "../../domain/alert.js";
import { adminHubUrl, controlsForRule } from "../../guidance/controls.js";
import { placeAdvice } from "../../guidance/places.js";
import { mrkdwn } from "../escape.js";

/**
 * The controls that answer this kind of alert, for the one who asked; for a watched place, first
 * the data security policy that keeps the MCP app out of it. With `several` organizations
 * watched, the pointer to the full guidance names the alert's (without, it answers for the first).
 */
export function settingsText(
  alert: Pick<Alert, "ruleId" | "orgId" | "detail">,
  several = false,
): string {
  const { ruleId, orgId, detail } = alert;
  const lines = controlsForRule(ruleId).map(
    (c) =>
      `• *${mrkdwn(c.name, 200)}*${c.plan ? ` (${c.plan})` : ""}\n   _${mrkdwn(c.path, 300)}_\n   ${mrkdwn(c.does, 400)} ${mrkdwn(c.doesNot, 400)}`,
  );
  const place =
    typeof detail.placeKind === "string" && typeof detail.placeKey === "string"
      ? placeAdvice(detail.placeKind, detail.placeKey, String(detail.watched ?? detail.placeKey))
      : undefined;
  const drift =
    typeof detail.setting === "string" && typeof detail.path === "string"
      ? `The setting your posture says otherwise about: *${mrkdwn(detail.setting, 200)}*, at _${mrkdwn(detail.path, 300)}_.`
      : undefined;
  const first = place || drift ? `${mrkdwn(place ?? "", 1000)}${drift ?? ""}\n` : "";
  const org = several ? ` org:${mrkdwn(orgId, 200)}` : "";
  return `*Settings to change for ${ruleId}* — in <${adminHubUrl(orgId)}|Atlassian Administration>:\n${first}${lines.join("\n")}\nThe full guidance: \`/mcp-activity settings${org}\`.`;
}
