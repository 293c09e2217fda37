/** A lag read at a glance: "42 s", "12 min", "5 h", "14 d". */
export function lagWords(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
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
