import type { FakeUser } from "./slack-store.js";

/** The user object of users.info / users.lookupByEmail, with the profile Slack nests email in. */
export function userObject(user: FakeUser, teamId: string, at: number): Record<string, unknown> {
  const name = user.name ?? user.id.toLowerCase();
  const realName = user.real_name ?? name;
  const displayName = user.display_name ?? name;
  const tz = user.tz ?? "UTC";
  return {
    id: user.id,
    team_id: user.team_id ?? teamId,
    name,
    deleted: user.deleted ?? false,
    real_name: realName,
    tz,
    tz_label: zoneLabel(tz, at),
    tz_offset: zoneOffsetSeconds(tz, at),
    is_admin: false,
    is_owner: false,
    is_bot: user.is_bot ?? false,
    is_app_user: user.is_app_user ?? false,
    is_restricted: user.is_restricted ?? false,
    is_ultra_restricted: user.is_ultra_restricted ?? false,
    is_email_confirmed: user.is_email_confirmed ?? true,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      ...(user.email !== undefined ? { email: user.email } : {}),
      team: teamId,
    },
  };
}

function zonePart(tz: string, at: number, style: "long" | "longOffset"): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
  } catch {
    return undefined;
  }
}

function zoneLabel(tz: string, at: number): string {
  return zonePart(tz, at, "long") ?? tz;
}

/** Seconds east of UTC at `at`, e.g. 3600 for Europe/Paris in winter. */
function zoneOffsetSeconds(tz: string, at: number): number {
  const m = /GMT([+-])(\d{1,2}):?(\d{2})?/.exec(zonePart(tz, at, "longOffset") ?? "");
  if (!m) return 0;
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60;
  return m[1] === "-" ? -seconds : seconds;
}
