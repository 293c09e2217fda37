/**
 * Actions that change an app's access to a site (authorized, consented, installed, or the
 * opposite): an admin's or a person's act about the MCP app, never a call made through it.
 */

/** An app authorized, its consent given, or installed (the opposites match too: see REMOVES). */
export const AUTHORIZES = /authori[sz]|consent|install/i;

/** The opposite: an app uninstalled, deauthorized, its consent revoked or removed. */
export const REMOVES = /(?:\b|_)(?:un|de)[-_ ]?(?:authori[sz]|install|consent)|revok|remov/i;

/** Whether an action's key or name changes an app's access either way. */
export function changesAppAccess(action: string): boolean {
  return AUTHORIZES.test(action) || REMOVES.test(action);
}
