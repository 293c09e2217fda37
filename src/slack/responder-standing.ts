import type { SlackUser } from "./directory.js";

/** Why a user may never be a responder, whatever their membership; undefined when they may. */
export function ineligible(
  user: SlackUser | undefined,
  team: string | undefined,
): string | undefined {
  if (!user) return "users unknown to this workspace";
  if (user.deleted) return "deactivated users";
  if (user.is_bot || user.is_app_user || user.id === "USLACKBOT") return "bots and apps";
  if (user.is_restricted || user.is_ultra_restricted) return "guests";
  if (team !== undefined && user.team_id !== undefined && user.team_id !== team)
    return "users of another workspace";
  return undefined;
}
