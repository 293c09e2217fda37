/**
 * Whether an action changes one of the controls over AI tool access, told by its names: Atlassian
 * publishes none of its action keys, and adds actions as it adds controls.
 */

const CHANGE =
  /updat|chang|creat|delet|enabl|disabl|modif|add|remov|edit|revok|replac|activat|\bturn(?:ed)? (?:on|off)\b|\b(?:allow|block)(?:ed|s)?\b/i;
const TOPIC =
  /connected app|data security polic|\bmcp\b|\brovo\b|ai setting|api key|allowlist|allowed domains/i;
// What people do with apps and Rovo, not what admins set: installing an app is not the
// "user-installed apps" setting, and a Rovo agent is content.
const NOT_A_SETTING = /authori[sz]|(?<!user[- ])install|consent|tool call|logged in|\bagents?\b/i;

/** Whether an action's names say it changes one of the controls over MCP access. */
export function isSettingsAction(displayName: string | null, groupName: string | null): boolean {
  if (!displayName) return false;
  return (
    CHANGE.test(displayName) &&
    TOPIC.test(`${displayName} ${groupName ?? ""}`) &&
    !NOT_A_SETTING.test(displayName)
  );
}
