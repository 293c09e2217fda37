import type { Severity } from "../../domain/severity.js";

/**
 * The order in which queued messages go out, lower first: what a responder just clicked, then
 * the most severe alerts and what calls for a person now, then the rest, digests and the weekly
 * check last. It orders what can go now: a message held back (its method paused, its lane paced)
 * holds back none after it.
 */
export const PRIORITY = {
  update: 0,
  urgent: 1,
  reply: 2,
  /** An App Home view: someone is looking at it (its own lane, paced apart from messages). */
  home: 3,
  summary: 5,
  digest: 6,
  /** The weekly "acted as you" check: a direct message to each person at once, none urgent. */
  attestation: 7,
} as const;

const BY_SEVERITY: Record<Severity, number> = { high: 1, medium: 2, low: 3, info: 4 };

/** An alert's own message: the most severe first. */
export const alertPriority = (severity: Severity): number => BY_SEVERITY[severity] ?? 4;
