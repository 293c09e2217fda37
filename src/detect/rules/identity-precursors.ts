import { firstText, rawItems } from "../../domain/audit-fields.js";
import type { ActionInfo, StoredEvent } from "../../domain/event.js";
import { PRECURSOR_KEYS, type Precursor, ROLE_GRANTED } from "../../domain/precursor-action.js";
import { isSettingsAction } from "../../domain/settings-action.js";

/**
 * Identity events that often come before token misuse, recognised by the action's names in
 * Atlassian's `/event-actions`, and by the key itself (PRECURSOR_KEYS) only when the catalogue
 * does not list the action.
 */
export type { Precursor };

const both =
  (...patterns: RegExp[]) =>
  (text: string) =>
    patterns.every((pattern) => pattern.test(text));

/** Each precursor by the action's display name. */
const NAMES: Readonly<Record<Precursor, (text: string) => boolean>> = {
  "api-token-created": both(/\bapi token\b/i, /creat|generat|added/i),
  "two-step-disabled": both(
    /two[- ]step|two[- ]factor|\b2sv\b|\b2fa\b|\bmfa\b/i,
    /disabl|turned off|remov/i,
  ),
  "org-admin-granted": both(/org(ani[sz]ation)? admin/i, /grant|add|assign|made|promot|gave/i),
  "user-impersonated": (text) =>
    /logged in as (another|a different)? ?user|log in as|login as|impersonat/i.test(text),
  "auth-policy-changed": both(
    /authentication polic|password polic|single sign-on|\bsso\b|\bsaml\b|identity provider/i,
    /updat|chang|creat|delet|enabl|disabl|modif|add|remov|edit/i,
  ),
};

const ORG_ADMIN = /org(ani[sz]ation)?[-_ ]?admin/i;

/**
 * The roles an event's items name: a role item's id, name or key, and any item's `role`. Not the
 * whole event: people's display names are in it, and anyone chooses their own.
 */
function rolesOf(raw: string): string {
  return rawItems(raw)
    .flatMap((item) => [
      ...(item.type && /role/i.test(item.type)
        ? [item.id, firstText(item.attributes, ["name", "key", "displayName"])]
        : []),
      firstText(item.attributes, ["role", "roleName", "roleId"]),
    ])
    .filter(Boolean)
    .join(" ");
}

/** An event's message with the names of its people and items taken out. */
function withoutNames(event: StoredEvent): string {
  const names = [
    event.actorName,
    event.userName,
    event.onBehalfOfName,
    ...rawItems(event.raw).map((item) => firstText(item.attributes, ["name", "displayName"])),
  ].filter((name): name is string => Boolean(name));
  return names.reduce((text, name) => text.split(name).join(" "), event.message ?? "");
}

/** Which precursor an event is, if any. */
export function precursorOf(event: StoredEvent, info: ActionInfo | undefined): Precursor | null {
  if (event.isMcp) return null;
  const names = info ? [info.displayName, info.groupName].filter(Boolean).join(" · ") : "";
  const found = (Object.keys(NAMES) as Precursor[]).find(
    (kind) => NAMES[kind](info?.displayName ?? "") || PRECURSOR_KEYS[kind].test(event.action),
  );
  if (
    found === "auth-policy-changed" &&
    isSettingsAction(info?.displayName ?? null, info?.groupName ?? null)
  )
    return null; // an IP allowlist or MCP authentication change: mcp-settings-changed's
  if (found) return found;
  const generic = info?.displayName ?? event.action;
  // The message only when no item names the role, and without the names people chose.
  const roles = rolesOf(event.raw) || withoutNames(event);
  if (ROLE_GRANTED.test(generic) && ORG_ADMIN.test(`${names} ${roles}`)) return "org-admin-granted";
  return null;
}

function firstString(attributes: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}

/** The label of the token an event created: from an item about a token, else a quoted name in the message. */
export function createdTokenLabel(event: StoredEvent): string | null {
  for (const item of rawItems(event.raw)) {
    if (!/token/i.test(item.type ?? "")) continue;
    const label = firstString(item.attributes, ["label", "tokenLabel", "name", "displayName"]);
    if (label) return label;
  }
  const quoted = /["“'‘]([^"”'’]{1,100})["”'’]/.exec(event.message ?? "");
  return quoted?.[1] ?? event.tokenLabel;
}

/** The person an event acted on (the user whose 2SV was turned off, who was made admin): its user item. */
export function targetUser(event: StoredEvent): string | null {
  for (const item of rawItems(event.raw)) {
    if (!/^(users?|account|atlassian-account)$/i.test(item.type ?? "")) continue;
    const name = firstString(item.attributes, ["name", "displayName", "email"]);
    if (name) return name;
  }
  return null;
}

/**
 * The account an event acted on, as a subject (see Rule.subject): its user item's id, else its
 * name; undefined when it names none.
 */
export function targetAccount(event: StoredEvent): string | undefined {
  for (const item of rawItems(event.raw)) {
    if (!/^(users?|account|atlassian-account)$/i.test(item.type ?? "")) continue;
    const id = typeof item.id === "string" && item.id.trim() !== "" ? item.id.trim() : null;
    const name = id ?? firstString(item.attributes, ["name", "displayName", "email"]);
    if (name) return name;
  }
  return undefined;
}

/** Words in a token's label that say an AI tool will use it. */
const AI_WORDS =
  /claude|cursor|copilot|chatgpt|openai|\bgpt|gemini|windsurf|\bmcp\b|mcp[-_]|[-_]mcp|agent|anthropic|codex|\bllm|\bai\b|[-_]ai\b|\bai[-_]/i;

export function namesAnAiTool(label: string | null): boolean {
  return label !== null && AI_WORDS.test(label);
}
