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
