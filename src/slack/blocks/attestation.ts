import type * as types from "@slack/types";
import type { Attestation } from "../../domain/attestation.js";
import { counted } from "../../words.js";
import { mrkdwn, slackDate } from "../escape.js";
import type { SlackMessage } from "./alert.js";
import { button } from "./button.js";
import { rowRef } from "./row-ref.js";

type KnownBlock = types.KnownBlock;

export const ATTEST_ACTIONS = { ok: "attest_ok", notMe: "attest_not_me" } as const;

const PLACES = 6;

/** "AI tools acted as you: 42 calls, 5 writes, 1 destructive or admin call in OPS, WEB…" */
function attestationLine(a: Attestation): string {
  const shown = a.places.slice(0, PLACES).join(", ");
  const more = a.places.length > PLACES ? "…" : "";
  const where = shown ? ` in ${mrkdwn(shown, 400)}${more}` : "";
  return `AI tools acted as you: ${counted(a.calls, "call")}, ${counted(a.writes, "write")}, ${counted(a.deletes, "destructive or admin call")}${where}`;
}

function facts(a: Attestation, organization: string | undefined): KnownBlock[] {
  const org = organization ? ` in the Atlassian organization *${mrkdwn(organization, 200)}*` : "";
  return [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${attestationLine(a)}.*\nThat is what AI tools (Claude, ChatGPT, Cursor, …) did with your Atlassian account${org} from ${slackDate(a.weekStart)} to ${slackDate(a.weekEnd)} (in your time zone), through the Rovo MCP server.`,
      },
    },
  ];
}

/** A bound as the query reads it back exactly, a whole minute shortened: "2026-11-09T10:00Z". */
const instant = (t: number) => new Date(t).toISOString().replace(/:00\.000Z$/, "Z");

/**
 * The query that lists the week's calls: the check's own bounds, so that it gives its figures on
 * whatever day it is read (`since:7d` read on Thursday counts another week).
 */
function weekQuery(a: Attestation, organization: string | undefined): string {
  const org = organization ? ` org:${mrkdwn(a.orgId, 200)}` : "";
  return `/mcp-activity user:me since:${instant(a.weekStart)} until:${instant(a.weekEnd)}${org}`;
}

const SHORT: KnownBlock = {
  type: "context",
  elements: [
    {
      type: "mrkdwn",
      text: ":warning: The audit log could not be read to the end of the week in time: calls made near its end may be missing from these figures.",
    },
  ],
};

/** Retention deleted the week's calls before `cut`: the figures are what was kept. */
const deleted = (cut: number): KnownBlock => ({
  type: "context",
  elements: [
    {
      type: "mrkdwn",
      text: `:warning: Retention (\`RETENTION_DAYS\`) deleted the calls before ${slackDate(cut)}: these figures count the week from then on.`,
    },
  ],
});

/** What the weekly message says of its figures besides them. */
export interface AttestationNotes {
  /** Sent without the audit log read past the week's end. */
  readonly short?: boolean;
  /** Retention deleted the calls before this time, within the week. */
  readonly deletedBefore?: number | undefined;
}

/** The weekly direct message: the week's figures, and two buttons only the person may answer. */
export function attestationMessage(
  a: Attestation,
  organization?: string,
  notes: AttestationNotes = {},
): SlackMessage {
  const id = rowRef(a.id, a.createdAt);
  const whose = organization ? ` · ${mrkdwn(organization, 200)}` : "";
  return {
    text: `${attestationLine(a)}${whose}. Does that look right?`,
    blocks: [
      ...facts(a, organization),
      ...(notes.short ? [SHORT] : []),
      ...(notes.deletedBefore === undefined ? [] : [deleted(notes.deletedBefore)]),
      {
        type: "actions",
        block_id: `attest_${a.id}`,
        elements: [
          button(ATTEST_ACTIONS.ok, "Looks right", id, "primary"),
          button(ATTEST_ACTIONS.notMe, "Not me", id, "danger"),
        ],
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `A weekly check. *Not me* tells the security team at once; \`${weekQuery(a, organization)}\` lists the calls.`,
          },
        ],
      },
    ],
  };
}

const ANSWERED = {
  yes: "You answered *looks right*. Thank you.",
  no: "You answered *not me*. The security team has been told and will be in touch.",
} as const;

/** The same message once answered: the figures and the answer, no buttons. */
export function answeredAttestation(
  a: Attestation,
  answer: "yes" | "no",
  organization?: string,
): SlackMessage {
  return {
    text: ANSWERED[answer],
    blocks: [
      ...facts(a, organization),
      { type: "context", elements: [{ type: "mrkdwn", text: ANSWERED[answer] }] },
    ],
  };
}
