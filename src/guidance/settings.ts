import type { GuidanceStats, SettingsChange } from "../domain/activity.js";
import { counted } from "../words.js";
import { changedControl } from "./changed-control.js";
import { CONTROLS, type Control } from "./controls.js";

export const TOPICS = ["oauth", "policy", "domains", "api-tokens", "permissions", "ip"] as const;
export type Topic = (typeof TOPICS)[number];

/** A reason a control matters now, and how much: see `guidance`. */
interface Reason {
  readonly text: string;
  readonly weight: number;
}

/** Why a control matters here now, from the last days' figures; empty when nothing says so. */
function whyNow(control: Control, s: GuidanceStats, days: number): Reason[] {
  const span = `in the last ${days} days`;
  const lines: Reason[] = [];
  if (control.id === "api-tokens" && s.apiTokenCalls > 0) {
    lines.push({
      text: `${counted(s.apiTokenCalls, "MCP call")} ${span} used API tokens: the real user is unknown and domain allowlists do not apply.`,
      weight: 3,
    });
  }
  if ((control.id === "domains" || control.id === "oauth") && s.newPeople > 0) {
    lines.push({
      text: `${s.newPeople} ${s.newPeople === 1 ? "person" : "people"} started using MCP ${span} (Atlassian logs only the first authorization per site).`,
      weight: 1,
    });
  }
  if ((control.id === "oauth" || control.id === "policy") && s.appAuthorizations > 0) {
    lines.push({
      text: `The Atlassian MCP app was authorized ${counted(s.appAuthorizations, "time")} ${span}.`,
      weight: 3,
    });
  }
  if (
    (control.id === "permissions" || control.id === "policy") &&
    s.writeCalls + s.destructiveCalls > 0
  ) {
    // Calls whose event names no site are on none the figure counts.
    const where = s.writeSites > 0 ? `on ${counted(s.writeSites, "site")} ${span}` : span;
    lines.push({
      text:
        s.writeCalls === 0
          ? `Destructive or admin tools were used ${counted(s.destructiveCalls, "time")} ${where}.`
          : `Write tools were used ${counted(s.writeCalls, "time")} ${where}${s.destructiveCalls > 0 ? `, destructive or admin tools ${counted(s.destructiveCalls, "time")}` : ""}.`,
      weight: s.destructiveCalls > 0 ? 3 : 2,
    });
  }
  if (control.id === "ip" && s.countries > 1)
    lines.push({ text: `MCP calls came from ${s.countries} countries ${span}.`, weight: 1 });
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
  // The weightiest reason first: a control changed, destructive or admin tools used, API tokens
  // used, the MCP app authorized (3); write tools used (2); people new to MCP, calls from several
  // countries (1). Among equals, more reasons first, then the controls' usual order.
  return controls
    .map((control) => {
      const changes = (stats?.changes ?? []).filter(
        (c) => changedControl(c.action, c.name) === control.id,
      );
      const reasons = stats ? whyNow(control, stats, days) : [];
      const weights = [...(changes.length > 0 ? [3] : []), ...reasons.map((r) => r.weight)];
      return {
        section: { control, why: reasons.map((r) => r.text), changes },
        weight: Math.max(0, ...weights),
        count: weights.length,
      };
    })
    .sort((a, b) => b.weight - a.weight || b.count - a.count)
    .map(({ section }) => section);
}
