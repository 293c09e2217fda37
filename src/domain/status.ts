/** The bot's health as `status` and `/healthz` tell it. */

/**
 * Why nothing reads the audit log until a setting is fixed: the organization API key refused
 * (401, 403), or the organization not found with the key and address given.
 */
export type HistoryStop = "apiKeyRejected" | "orgNotFound";

export interface StatusFigures {
  readonly healthy: boolean;
  readonly lastPoll: number | null;
  readonly lagSeconds: number | null;
  readonly lastEvent: number | null;
  readonly mcpActionKeys: readonly string[];
  readonly pendingDeliveries: number;
  readonly quarantined: number;
  /**
   * While the first poll reads the history: the events stored so far, `unread` while none is and
   * the poll fails (`problems` say why), and `stopped` while nothing reads the rest until a
   * setting is fixed; null once it is read.
   */
  readonly backfilling: {
    readonly stored: number;
    readonly unread: boolean;
    readonly stopped: HistoryStop | null;
  } | null;
  readonly problems: readonly string[];
  /**
   * With several organizations: each one's figures under its name; `healthy` and `problems`
   * above are then the whole instance's (database, Slack).
   */
  readonly organizations?: ReadonlyArray<OrganizationStatus>;
}

export interface OrganizationStatus extends Omit<StatusFigures, "organizations"> {
  readonly organization: string;
}
