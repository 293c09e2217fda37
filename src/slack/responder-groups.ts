import type { WebClient } from "@slack/web-api";

/**
 * usergroups.users.list's errors that are an answer, not a failure to ask: the group has no
 * members now, and waiting will not change it. Each with what the operator can do.
 */
const GONE: Readonly<Record<string, (group: string) => string>> = {
  // Deleted, disabled (asked without include_disabled) or never a group of this workspace.
  no_such_subteam: (group) =>
    `Slack knows no such enabled group (no_such_subteam): remove ${group} from SLACK_RESPONDERS or re-enable the group`,
  plan_upgrade_required: (group) =>
    `the workspace's plan has no user groups (plan_upgrade_required): remove ${group} from SLACK_RESPONDERS and name its members`,
};

/** The user groups' members, and the groups Slack says are gone (by id, with their error code). */
export interface GroupMembers {
  readonly members: ReadonlySet<string>;
  readonly gone: ReadonlyMap<string, string>;
}

/**
 * The members of each user group of SLACK_RESPONDERS. A group Slack says is gone counts as empty,
 * so its former members stop being responders; any other error throws (the look-up failed).
 */
export async function groupMembers(
  client: WebClient,
  groups: readonly string[],
): Promise<GroupMembers> {
  const members = new Set<string>();
  const gone = new Map<string, string>();
  for (const group of groups) {
    try {
      const result = await client.usergroups.users.list({ usergroup: group });
      for (const id of result.users ?? []) members.add(id);
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code === undefined || GONE[code] === undefined) throw error;
      gone.set(group, code);
    }
  }
  return { members, gone };
}

/** What the operator is told of the groups that make nobody a responder, and what to do. */
export function goneAdvice(gone: ReadonlyMap<string, string>): string | undefined {
  if (gone.size === 0) return undefined;
  return [...gone]
    .map(([group, code]) => `${group} makes nobody a responder: ${GONE[code]?.(group) ?? code}`)
    .join("; ");
}

/**
 * SLACK_RESPONDERS for /healthz: how many ids it holds, the groups that are gone, and whether the
 * groups' look-ups fail (`lookedUp`: the last answer still trusted, in minutes).
 */
export function configuredStatus(s: {
  count: number;
  /** How many users it names (who need no look-up). */
  named: number;
  gone: ReadonlyMap<string, string>;
  failure: string | undefined;
  lookedUp: { ago: number; left: number } | undefined;
}): string {
  const gone = goneAdvice(s.gone);
  const said = `SLACK_RESPONDERS (${s.count})${gone === undefined ? "" : `; ${gone}`}`;
  if (s.failure === undefined) return said;
  const others = s.named > 0 ? "only the users it names may" : "nobody may";
  if (!s.lookedUp)
    return `${said}; its user groups could not be looked up (${s.failure}): ${others} handle alerts until they are`;
  return `${said}; its user groups as looked up ${s.lookedUp.ago} min ago: look-ups fail (${s.failure}); ${others} handle alerts in ${s.lookedUp.left} min unless one succeeds`;
}
