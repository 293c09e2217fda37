import type * as types from "@slack/types";
import type { SettingsChange } from "../../domain/activity.js";
import type { Alert } from "../../domain/alert.js";
import { controlsForAlert } from "../../guidance/changed-control.js";
import { adminHubUrl } from "../../guidance/controls.js";
import { placeAdvice } from "../../guidance/places.js";
import type { PostureLine } from "../../guidance/posture.js";
import type { GuidanceSection } from "../../guidance/settings.js";
import { mrkdwn, slackDate } from "../escape.js";
import { type AnswerNotes, context, notesText, type Reply, section } from "./query.js";

/**
 * What responders are told of the Atlassian admin settings: the controls that answer an alert
 * (its Settings to change), and `/mcp-activity settings`.
 */

type Block = types.KnownBlock;

/**
 * The controls that answer this kind of alert, for the one who asked (for a settings change, the
 * control it changed first); for a watched place, first the data security policy that keeps the
 * MCP app out of it. With `several` organizations
 * watched, the pointer to the full guidance names the alert's (without, it answers for the first).
 */
export function settingsText(
  alert: Pick<Alert, "ruleId" | "orgId" | "detail">,
  several = false,
): string {
  const { ruleId, orgId, detail } = alert;
  const lines = controlsForAlert(alert).map(
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

/** The changes made to a control in the period: the newest, by whom and when, and how many. */
function changedWords(changes: readonly SettingsChange[], days: number): string | undefined {
  const [last] = changes;
  if (!last) return undefined;
  const what = `by ${mrkdwn(last.by ?? "an unknown actor", 100)} on ${slackDate(last.time)}: ${mrkdwn(last.name ?? last.action, 150)}.`;
  return changes.length === 1
    ? `Changed ${what}`
    : `Changed ${changes.length} times in the last ${days} days, last ${what}`;
}

/** The declared posture beside the period's MCP calls, control by control. */
function postureBlocks(lines: readonly PostureLine[], days: number): Block[] {
  const declared = lines.some((l) => l.declared !== "not declared");
  const rows = lines.map(
    (l) =>
      `${l.drift ? "⚠️" : declared && l.declared !== "not declared" ? "✅" : "▫️"} *${mrkdwn(l.topic, 100)}* — declared: ${mrkdwn(l.declared, 300)} · observed: ${mrkdwn(l.observed, 400)}${l.drift ? `\n      check _${mrkdwn(l.control.path, 200)}_` : ""}`,
  );
  const head = declared
    ? `*Declared posture versus the last ${days} days*`
    : `*No posture declared* — declare it under \`posture:\` in the rules file to be told when an MCP call shows a setting changed (Atlassian's log does not record every change). The last ${days} days:`;
  return [section(`${head}\n${rows.join("\n")}`)];
}

export function settingsReply(
  sections: readonly GuidanceSection[],
  /** The organization the figures are from; null: no figures (someone not a responder asks). */
  orgId: string | null,
  days: number,
  posture?: readonly PostureLine[],
  /** With several organizations watched: whose figures these are. */
  organization?: { readonly name: string; readonly of: number; readonly first: boolean },
  /** What the figures leave out. */
  notes: AnswerNotes = {},
): Reply {
  const whose =
    organization === undefined
      ? ""
      : ` of *${mrkdwn(organization.name, 100)}*${organization.first ? `, the first of ${organization.of} organizations,` : ""}`;
  const another = organization === undefined ? "" : "; `settings org:&lt;id&gt;` for another";
  const blocks: Block[] = [
    section(
      orgId === null
        ? "*Atlassian admin settings that restrict AI tools' access through the Rovo MCP server* — in <https://admin.atlassian.com/|Atlassian Administration>:"
        : `*Atlassian admin settings that restrict AI tools' access through the Rovo MCP server* — in <${adminHubUrl(orgId)}|Atlassian Administration>, most pressing first (figures${whose} from the last ${days} days${another}):`,
    ),
  ];
  for (const { control, why, changes } of sections) {
    const reasons = [changedWords(changes, days), ...why.map((w) => mrkdwn(w, 300))];
    const said = reasons.filter((r) => r !== undefined);
    const now = said.length > 0 ? `\n*Why now:* ${said.join(" ")}` : "";
    blocks.push(
      section(
        `*${mrkdwn(control.name, 200)}*${control.plan ? ` _(needs ${control.plan})_` : ""}\n_${mrkdwn(control.path, 300)}_\n${mrkdwn(control.does, 400)}\n*Limits:* ${mrkdwn(control.doesNot, 400)}${now}`,
      ),
    );
  }
  if (posture) blocks.push(...postureBlocks(posture, days));
  if (orgId === null)
    blocks.push(
      context(
        "Responders also see why each setting matters now, from the organization's audit log, and the posture the rules file declares.",
      ),
    );
  blocks.push(
    context(
      "Remember: the audit log shows only the first authorization of the MCP app per site — later people connecting appear only through their first tool call.",
    ),
  );
  const partial = notesText(notes);
  if (partial) blocks.push(context(partial));
  return { text: "Admin settings to change", blocks };
}
