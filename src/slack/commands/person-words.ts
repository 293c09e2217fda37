import type { UnclearName } from "../../query/people-meant.js";
import type { UnknownName } from "../../query/run.js";
import { type AnswerNotes, BACKFILLING_WORDS, prunedWords } from "../blocks/query.js";
import { mrkdwn } from "../escape.js";

/**
 * Asks which person a `user:` name means, listing whom it may with their e-mail and account id (an
 * e-mail may be two people's: the account id always picks one); outside strings escaped.
 */
export function whichPerson({ name, people }: UnclearName): string {
  const shown = people
    .slice(0, 10)
    .map(
      (p) =>
        `• ${mrkdwn(p.name || "?", 100)} — ${p.email ? `${mrkdwn(p.email, 200)} · ` : ""}account \`${mrkdwn(p.id, 100)}\``,
    );
  const more = people.length > 10 ? `\n…and ${people.length - 10} more` : "";
  return `\`user:${mrkdwn(name, 100)}\` may be any of these people; ask again with the e-mail (or account id) of the one you mean:\n${shown.join("\n")}${more}`;
}

/** Says that a `user:` name is nobody stored, with the nearest that is (outside strings escaped). */
export function nobodyCalled(
  { name, nearest }: UnknownName,
  organization: string | undefined,
  { backfilling, prunedBefore }: AnswerNotes,
): string {
  const where = organization === undefined ? "" : ` in ${mrkdwn(organization, 100)}`;
  const about = `No MCP calls by \`user:${mrkdwn(name, 100)}\` are stored${where}`;
  // The history is still being read, or retention deleted the window's start: someone whose
  // calls are not stored yet, or all came before, is not "nobody".
  const said = backfilling
    ? `${about} yet. ${BACKFILLING_WORDS}`
    : prunedBefore === undefined
      ? `${about}: nobody by that ${name.includes("@") ? "e-mail" : "name or account id"} made one${organization === undefined ? "" : " there (`org:` asks about another organization)"}.`
      : `${about}. ${prunedWords(prunedBefore)} Someone whose calls all came before then is no longer known here.`;
  const sure = !backfilling && prunedBefore === undefined;
  const mean = sure ? "Did you mean" : "Or did you mean";
  return nearest === undefined
    ? `${said} Ask with the person's Atlassian e-mail, display name or account id.`
    : `${said} ${mean} \`user:${mrkdwn(nearest.includes(" ") ? `"${nearest}"` : nearest, 200)}\`?`;
}
