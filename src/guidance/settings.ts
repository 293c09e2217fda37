import type { GuidanceStats, SettingsChange } from "../domain/activity.js";
import { counted } from "../words.js";
import { changedControl } from "./changed-control.js";
import { CONTROLS, type Control } from "./controls.js";

export const TOPICS = ["oauth", "policy", "domains", "api-tokens", "permissions", "ip"] as const;
export type Topic = (typeof TOPICS)[number];

/** Why a control matters here now, from the last days' figures; empty when nothing says so. */
function whyNow(control: Control, s: GuidanceStats, days: number): string[] {
  const span = `in the last ${days} days`;
  const lines: string[] = [];
  if (control.id === "api-tokens" && s.apiTokenCalls > 0) {
    lines.push(
      `${counted(s.apiTokenCalls, "MCP call")} ${span} used API tokens: the real user is unknown and domain allowlists do not apply.`,
    );
  }
  if ((control.id === "domains" || control.id === "oauth") && s.newPeople > 0) {
    lines.push(
      `${s.newPeople} ${s.newPeople === 1 ? "person" : "people"} started using MCP ${span} (Atlassian logs only the first authorization per site).`,
    );
  }
  if ((control.id === "oauth" || control.id === "policy") && s.appAuthorizations > 0) {
    lines.push(
      `The Atlassian MCP app was authorized ${counted(s.appAuthorizations, "time")} ${span}.`,
    );
  }
  if (
    (control.id === "permissions" || control.id === "policy") &&
    s.writeCalls + s.destructiveCalls > 0
  ) {
    // Calls whose event names no site are on none the figure counts.
    const where = s.writeSites > 0 ? `on ${counted(s.writeSites, "site")} ${span}` : span;
    lines.push(
      s.writeCalls === 0
        ? `Destructive or admin tools were used ${counted(s.destructiveCalls, "time")} ${where}.`
        : `Write tools were used ${counted(s.writeCalls, "time")} ${where}${s.destructiveCalls > 0 ? `, destructive or admin tools ${counted(s.destructiveCalls, "time")}` : ""}.`,
    );
  }
  if (control.id === "ip" && s.countries > 1)
    lines.push(`MCP calls came from ${s.countries} countries ${span}.`);
  return lines;
}

export interface GuidanceSection {
  readonly control: Control;
  readonly why: readonly string[];
  /** The changes made to this control in the period, newest first. */
  readonly changes: readonly SettingsChange[];
}

/**
 * Which Atlassian admin settings to change to restrict MCP access, most pressing first: every
 * control (or one topic's), with what it does, what it does not cover, and why it matters now
 * (the period's figures, and the changes made to it).
 */
export function guidance(
  topic: Topic | undefined,
  /** The organization's figures; null: the controls alone, in their usual order. */
  stats: GuidanceStats | null,
  days: number,
): GuidanceSection[] {
  const controls = CONTROLS.filter(
    (c) => c.id !== "audit" && (topic === undefined || c.id === topic),
  );
  const reasons = (s: GuidanceSection) => s.why.length + (s.changes.length > 0 ? 1 : 0);
  return controls
    .map((control) => ({
      control,
      why: stats ? whyNow(control, stats, days) : [],
      changes: (stats?.changes ?? []).filter(
        (c) => changedControl(c.action, c.name) === control.id,
      ),
    }))
    .sort((a, b) => reasons(b) - reasons(a));
}
