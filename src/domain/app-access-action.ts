/**
 * Actions that change an app's access to a site (authorized, consented, installed, or the
 * opposite): an admin's or a person's act about the MCP app, never a call made through it.
 */

/** An app authorized, its consent given, or installed (the opposites match too: see REMOVES). */
export const AUTHORIZES = /authori[sz]|consent|install/i;

/** The opposite: an app uninstalled, deauthorized, its consent revoked or removed. */
export const REMOVES = /(?:\b|_)(?:un|de)[-_ ]?(?:authori[sz]|install|consent)|revok|remov/i;

/**
 * Words that, beside an authorization, consent or installation, say it ended or was never given
 * ("authorization_deleted", "consent_withdrawn", "consent_denied"): not an app authorized. Too
 * common to tell, alone, that a key changes an app's access (see changesAppAccess).
 */
export const NOT_GRANTED = /delet|withdr[ae]w|disabl|expir|cancel|reject|declin|denied|deny/i;

/**
 * An action key that says it is a tool call: its message is then what the tool did. "tools" is
 * a set of them an admin allows or not ("rovo_mcp_delete_tools"), not a call.
 */
export const KEY_SAYS_CALL = /tool(?!s)|call|invok/i;

/** A key that names an app: an OAuth app, an integration, a connected app. */
const NAMES_APP = /app|oauth|integration|connect/i;

/**
 * Whether an action key says an app's access changed, either way ("oauth_app_uninstalled",
 * "mcp_app_authorized"): it names an app and an access verb, and does not say it is a call (a
 * tool's name in a call's key, "removeJiraIssueLink", is no app removed).
 */
export function changesAppAccess(action: string): boolean {
  if (!NAMES_APP.test(action) || KEY_SAYS_CALL.test(action)) return false;
  return AUTHORIZES.test(action) || REMOVES.test(action);
}
