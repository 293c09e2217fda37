/**
 * Whether an action changes one of the controls over AI tool access, told by its names: Atlassian
 * publishes none of its action keys, and adds actions as it adds controls.
 */

// Whole words: "add" must not match "address".
const CHANGE =
  /\b(?:updat|chang|creat|delet|enabl|disabl|modif|add(?:ed|s|ing)?\b|remov|edit|revok|replac|(?:de)?activat)|\bturn(?:ed)? (?:on|off)\b|\b(?:allow|block)(?:ed|s)?\b/i;
const TOPIC =
  /connected app|data security polic|\bmcp\b|ai setting|api key|allowlist|allowed domains/i;
// The controls an admin changes, named alike in an action's name and in an event's message.
const CONTROL_NOUNS = String.raw`\bsettings?\b|\bpolic(?:y|ies)\b|\bpermissions?\b|allowlist|allowed domains|authentication|\bkeys?\b|\btools\b|connected apps?\b`;
// Switched on or off: Rovo or its MCP server.
const SWITCH = "turned (?:on|off)|enabled|disabled|(?:de)?activated";
const SERVER = "(?:the )?(?:rovo )?(?:mcp )?server";
// Rovo's group holds people's content too: there, the name must say what control it changed,
// or that Rovo itself was turned on or off.
const CONTROL = new RegExp(String.raw`${CONTROL_NOUNS}|\bserver\b|\b(?:${SWITCH})\b`, "i");
// What people do with apps and Rovo, not what admins set: installing an app is not the
// "user-installed apps" setting, and a Rovo agent, chat or knowledge source is content.
const NOT_A_SETTING =
  /authori[sz]|(?<!user[- ])install|consent|tool call|logged in|\bagents?\b|\bchats?\b|\bconversations?\b|knowledge source/i;
// Access to Rovo, its MCP server or MCP: not someone's access to a page.
const ACCESS = `(?:(?:rovo |mcp )*(?:rovo|mcp|server) access|access to ${SERVER})`;
/**
 * What a settings change's message names: a control, access revoked, or the server or MCP access
 * switched on or off. A bare "server" or "access" is not enough there: a call's message says it
 * went "through the Rovo MCP server", or that a tool enabled someone's access to a page. ("Rovo
 * access revoked" as an action's name is a person's product access.)
 */
const MESSAGE_CONTROL = new RegExp(
  String.raw`${CONTROL_NOUNS}|\brevoked\b|\b(?:server|${ACCESS}) (?:was )?(?:${SWITCH})\b|\b(?:${SWITCH}) (?:${SERVER}|(?:the )?${ACCESS})\b|\bturned ${SERVER} (?:on|off)\b`,
  "i",
);

/** Whether an action's names say it changes one of the controls over MCP access. */
export function isSettingsAction(displayName: string | null, groupName: string | null): boolean {
  if (!displayName) return false;
  const names = `${displayName} ${groupName ?? ""}`;
  const topic = TOPIC.test(names) || (/\brovo\b/i.test(names) && CONTROL.test(displayName));
  return CHANGE.test(displayName) && topic && !NOT_A_SETTING.test(displayName);
}

/**
 * Whether an action's name alone, whatever its group, says it changes a control: a group that
 * mentions MCP ("Rovo MCP server") may hold the server's controls beside its calls.
 */
export function namesSettingsChange(displayName: string | null): boolean {
  if (!displayName) return false;
  const topic = TOPIC.test(displayName) || CONTROL.test(displayName);
  return CHANGE.test(displayName) && topic && !NOT_A_SETTING.test(displayName);
}

/** Whether an event's message names a control it changed, not only something a tool did. */
export function namesAControl(message: string): boolean {
  return MESSAGE_CONTROL.test(message);
}
