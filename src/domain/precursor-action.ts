/**
 * Identity events that often come before token misuse, by their action keys (snake_case and
 * partly unpublished): what the identity rules read when the catalogue does not list an action,
 * and what classification never takes for an MCP call (a label or a name in such an event's
 * message may mention MCP: "created API token “jira-mcp”").
 */
export type Precursor =
  | "api-token-created"
  | "two-step-disabled"
  | "org-admin-granted"
  | "user-impersonated"
  | "auth-policy-changed";

export const PRECURSOR_KEYS: Readonly<Record<Precursor, RegExp>> = {
  "api-token-created": /api_?token.*(creat|generat|add)|(creat|generat|add)\w*_api_?token/i,
  "two-step-disabled":
    /(twosv|2sv|two_?step|2fa|mfa).*(disabl|remov|off)|(disabl|remov)\w*_(twosv|2sv|2fa|mfa)/i,
  "org-admin-granted": /(added|grant\w*|assign\w*)_org_?admin|org_?admin_(added|granted|assigned)/i,
  "user-impersonated": /impersonat|logged_in_as|login_as/i,
  "auth-policy-changed":
    /(auth(entication)?_polic|password_polic|sso|saml|identity_provider)\w*_(updat|chang|creat|delet|enabl|disabl|remov)/i,
};

/** A generic role grant ("User granted role", `user_granted_role`) names its role in its items. */
export const ROLE_GRANTED = /grant\w*[ _]role|role[ _]grant/i;

/** Whether an action key is an identity precursor's or a role grant's: an admin's act, no call. */
export function isPrecursorKey(action: string): boolean {
  return ROLE_GRANTED.test(action) || Object.values(PRECURSOR_KEYS).some((key) => key.test(action));
}
