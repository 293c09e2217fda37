/** A suppression a responder added from an alert. */

/** A suppression a responder added from an alert: a rule and a person, kept out of Slack for good. */
export interface StoredSuppression {
  readonly id: number;
  readonly orgId: string;
  readonly ruleId: string;
  readonly userKey: string;
  /** The one subject it covers (see Alert.subject), and its words; absent: every subject. */
  readonly subject?: string;
  readonly subjectLabel?: string;
  readonly reason: string;
  /** The alert it was added from. */
  readonly alertId: number | null;
  readonly createdBy: string;
  readonly createdAt: number;
}

/** A suppression as listed: with the name or e-mail of the person, from the alert it came from. */
export interface ListedSuppression extends StoredSuppression {
  readonly person: string;
  /** When the alert it was added from was raised: with its id, what Remove names. */
  readonly alertCreatedAt: number | null;
}
