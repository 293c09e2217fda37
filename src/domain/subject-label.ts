/** The words a responder reads for what an alert is about beyond its person (Alert.subject). */

import type { Alert } from "./alert.js";

/** Parts of a subject that name the person again (see personKey), not what is about them. */
const PERSON_PART = /^(email|name|event):/;

/**
 * "Bob (lost his phone)", "France", "Claude", "read · acme.atlassian.net": the account an admin
 * acted on as the alert names it, else the subject without its person and its prefixes.
 * Undefined for an alert without a subject (what it quiets is every subject).
 */
export function subjectLabel(
  alert: Pick<Alert, "subject" | "detail" | "userId">,
): string | undefined {
  if (alert.subject === undefined) return undefined;
  const target = alert.detail.target;
  if (typeof target === "string" && target !== "") return target;
  const parts = alert.subject
    .split("|")
    .filter((part) => part !== "" && part !== alert.userId && !PERSON_PART.test(part))
    .map((part) => part.replace(/^app:/, ""));
  return parts.length === 0 ? alert.subject : parts.join(" · ");
}
