/** A lag read at a glance: "42 s", "12 min", "5 h", "14 d" (each unit as rounded, so never "120 s"). */
export function lagWords(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(seconds / 3600);
  return hours < 48 ? `${hours} h` : `${Math.round(seconds / 86_400)} d`;
}

/** "1 person", "3 people", "1 tool", "2 tools". */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The head line of an activity answer: "30 MCP calls · 1 person · 2 tools · 1 site". */
export function activityCounts(s: {
  calls: number;
  people: number;
  tools: number;
  sites: number;
}): string {
  return `${counted(s.calls, "MCP call")} · ${counted(s.people, "person", "people")} · ${counted(s.tools, "tool")} · ${counted(s.sites, "site")}`;
}
