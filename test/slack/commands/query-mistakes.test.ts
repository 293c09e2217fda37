/**
 * Mistakes in a question that would otherwise get a silent or misleading answer, answered with
 * what was wrong and what to type instead. Real Bolt app, signed commands, a seeded store of 3,000
 * calls over two organizations (see query-rig.ts).
 */
import { describe, expect, it } from "vitest";
import { EventStore } from "../../../src/store/events.js";
import { normalizedEvent } from "../../detect/fixtures.js";
import { queryRig } from "./query-rig.js";

const EMPTY = "No MCP activity matches";

describe("/mcp-activity: a time word without its key", () => {
  // docs/query-language.md: "a time without its key (`7d`) would be looked for as a word and match
  // nothing, so it is answered too (`did you mean since:7d?`)". today, yesterday and now are times.
  it.each([
    ["today user:bob@example.com", "since:today"],
    ["user:bob@example.com Yesterday", "since:yesterday"],
  ])("%s is answered with the since: it needs, not 'no activity'", async (text, meant) => {
    const c = await queryRig();
    // Bob made calls today and yesterday: the question meant finds them.
    expect((await c.ask(`user:bob@example.com ${meant}`)).text).not.toContain(EMPTY);
    const answer = (await c.ask(text)).text;
    expect(answer).not.toContain(EMPTY);
    expect(answer).toContain(`did you mean ${meant}`);
  });
});

describe("/mcp-activity: a date and a time separated by a space", () => {
  // `since:2026-11-04 09:00` would read as since:2026-11-04 and the free word "09:00", which
  // matches nobody: "No MCP activity matches" for a busy morning.
  it.each([
    ["since:2026-11-04 09:00", 'did you mean since:"2026-11-04 09:00"?'],
    ["since:yesterday 14:00", 'did you mean since:"2026-11-03 14:00"?'],
    ["since:2026-11-04 until:2026-11-04 9:30", 'did you mean until:"2026-11-04 09:30"?'],
    ["user:bob@example.com 09:00", 'for example since:"2026-11-04 09:00"'],
  ])("%s is answered with how to write the moment", async (text, hint) => {
    const c = await queryRig();
    expect((await c.ask('since:"2026-11-04 09:00"')).text).not.toContain(EMPTY);
    const answer = (await c.ask(text)).text;
    expect(answer).not.toContain(EMPTY);
    // The answer is JSON: its quotes are escaped.
    expect(answer).toContain(JSON.stringify(hint).slice(1, -1));
  });
});

describe("/mcp-activity: a date and a clock time with am or pm separated by a space", () => {
  // 14:00 was answered; 2pm was looked for as a word and a busy afternoon found nothing.
  it.each([
    ["since:yesterday 2pm", 'since:"2026-11-03 14:00"'],
    ["since:yesterday 9:30pm", 'since:"2026-11-03 21:30"'],
    ["since:2026-11-03 2pm", 'since:"2026-11-03 14:00"'],
    ["since:yesterday 2 pm", 'since:"2026-11-03 14:00"'],
  ])("%s is answered with the date-time meant, 24-hour", async (text, meant) => {
    const c = await queryRig();
    expect((await c.ask(meant)).text).not.toContain(EMPTY);
    const answer = (await c.ask(text)).text;
    expect(answer).not.toContain(EMPTY);
    expect(answer).toContain(JSON.stringify(`did you mean ${meant}?`).slice(1, -1));
  });
});

describe("/mcp-activity: me without user:", () => {
  // Alone, `me` is a substring of "acme.atlassian.net": a responder asking `me since:24h` would be
  // shown everyone's calls on the acme site, counted as if they were theirs.
  it("is answered with user:me, not everyone whose site or name contains 'me'", async () => {
    const c = await queryRig();
    const answer = (await c.ask("ME since:24h")).text;
    expect(answer).not.toMatch(/\d+ MCP calls/);
    expect(answer).toContain("did you mean user:me");
  });
});

describe("/mcp-activity: a clock time without its date", () => {
  // am and pm are one letter from m: 9am would be taken for nine minutes (since:9m); 9:30 alone
  // was called a bad duration.
  it.each([
    ["since:9am", 'did you mean since:"2026-11-04 09:00"?'],
    ["since:9:30", 'did you mean since:"2026-11-04 09:30"?'],
    ["until:14:05", 'did you mean until:"2026-11-04 14:05"?'],
    ["since:23:59", 'did you mean since:"2026-11-03 23:59"?'],
    // 14:00 and 21:30 are still ahead in Berlin (12:00): a since: then is yesterday's.
    ["since:2PM", 'did you mean since:"2026-11-03 14:00"?'],
    ["until:5pm", 'did you mean until:"2026-11-04 17:00"?'],
    ["since:9:30 pm", 'did you mean since:"2026-11-03 21:30"?'],
    ["since:12 am", 'did you mean since:"2026-11-04 00:00"?'],
  ])("%s is answered with the date and the hour, 24-hour", async (text, hint) => {
    const c = await queryRig();
    const answer = (await c.ask(text)).text;
    expect(answer).toContain("bad time");
    expect(answer).not.toMatch(/did you mean (since|until):\d+[md]\?/);
    expect(answer).toContain(JSON.stringify(hint).slice(1, -1));
  });
});

describe("/mcp-activity: since: a clock time still ahead today", () => {
  // UNY's clock reads 06:00 in New York: today 09:00 is in the future and would be refused.
  it("since:9am before nine is answered with yesterday's 09:00, which is answered", async () => {
    const c = await queryRig();
    const meant = 'since:"2026-11-03 09:00"';
    const answer = (await c.ask("since:9am", "UNY")).text;
    expect(answer).toContain(JSON.stringify(`did you mean ${meant}?`).slice(1, -1));
    const followed = (await c.ask(meant, "UNY")).text;
    expect(followed).not.toContain("is not before");
    expect(followed).not.toContain(EMPTY);
  });
});

describe("/mcp-activity: a date in another form", () => {
  // 3 Dec would be taken for three days (since:3d); 12/03 was called a bad duration.
  it.each([
    ["since:3 Dec", "did you mean since:2025-12-03?"],
    ["since:Nov 2", "did you mean since:2026-11-02?"],
    ["until:1 november", "did you mean until:2026-11-01?"],
  ])("%s is answered with the date as YYYY-MM-DD", async (text, hint) => {
    const c = await queryRig();
    const answer = (await c.ask(text)).text;
    expect(answer).toContain("bad date");
    expect(answer).toContain("YYYY-MM-DD");
    expect(answer).toContain(hint);
  });

  // 12/03 is December 3 to some and 12 March to others: the form is said, no date guessed.
  it.each(["since:12/03", "since:3.12.2026"])("%s is answered with the form", async (text) => {
    const c = await queryRig();
    const answer = (await c.ask(text)).text;
    expect(answer).toContain("bad date");
    expect(answer).toContain("YYYY-MM-DD");
    expect(answer).not.toContain("did you mean");
  });
});

describe("/mcp-activity: a number and its unit parted by a space", () => {
  // The number alone was taken for days: since:3 hours was answered "did you mean since:3d?",
  // and following it counted 3 days of calls as 3 hours'.
  it.each([
    ["since:3 hours", "since:3h", "since:180m"],
    ["since:24 h", "since:24h", "since:1440m"],
    ["since:30 min", "since:30m", "since:30m"],
    ["since:2 weeks", "since:2w", "since:14d"],
  ])("%s is answered with its own unit, %s", async (text, meant, same) => {
    const c = await queryRig();
    const answer = (await c.ask(text)).text;
    expect(answer).toContain(`did you mean ${meant}?`);
    const calls = async (q: string) => /(\d+) MCP calls ·/.exec((await c.ask(q)).text)?.[1];
    expect(await calls(meant)).toBeDefined();
    expect(await calls(meant)).toBe(await calls(same));
  });
});

describe("/mcp-activity: a number and a word that is no unit", () => {
  // The word was dropped and the number taken for days: did you mean since:3d?
  it("since:3 secodns is told the word is no unit, not offered days", async () => {
    const c = await queryRig();
    const answer = (await c.ask("since:3 secodns")).text;
    expect(answer).toContain('\\"secodns\\" is no unit');
    expect(answer).not.toContain("did you mean");
  });
});

describe("/mcp-activity: a slip of months", () => {
  // Only unit words starting with m were looked at, all of them minutes: since:3m was suggested.
  it.each(["since:3 monts", "since:3monhs"])(
    "%s is answered with months, not minutes",
    async (text) => {
      const c = await queryRig();
      const answer = (await c.ask(text)).text;
      expect(answer).toContain("did you mean since:90d?");
      expect(answer).not.toContain("since:3m");
    },
  );
});

describe("/mcp-activity: a day of a month written as an ordinal", () => {
  // 3rd was read as a slip of 3d, and 1st of 1m: three days, one minute.
  it("since:3rd Dec is answered with the day, as since:3 Dec is", async () => {
    const c = await queryRig();
    const answer = (await c.ask("since:3rd Dec")).text;
    expect(answer).toContain("did you mean since:2025-12-03?");
    expect(answer).not.toContain("since:3d");
  });

  it("since:1st alone is answered with the form of a date, not with a minute", async () => {
    const c = await queryRig();
    const answer = (await c.ask("since:1st")).text;
    expect(answer).toContain("YYYY-MM-DD");
    expect(answer).not.toContain("since:1m");
  });
});

describe("/mcp-activity: a tool or site no stored call has", () => {
  // A typo there found nothing and was answered "Try a longer window", which finds nothing either.
  it.each([
    ["tool:createJiraIsue since:7d", "Did you mean `tool:createJiraIssue`?"],
    ["site:acem since:7d", "Did you mean `site:acme.atlassian.net`?"],
    ["tool:getJiraIssue site:nowhere-at-all", "like `site:acme.atlassian.net`"],
  ])("%s is answered with the value meant, to responders", async (text, meant) => {
    const c = await queryRig();
    // A tool the organization used, in a window without its calls: a longer window finds them.
    const used = (await c.ask("tool:createJiraIssue until:2026-09-01")).text;
    expect(used).toContain("Try a longer window");
    expect(used).not.toContain("No stored MCP call has");
    const answer = (await c.ask(text)).text;
    expect(answer).toContain("No stored MCP call has");
    expect(answer).not.toContain("Try a longer window");
    expect(answer).toContain(meant);
    // Which tools and sites other people used is not for someone who is not a responder.
    const own = (await c.ask(`user:me ${text}`, "UALICE")).text;
    expect(own).toContain("No MCP activity matches");
    expect(own).not.toContain("No stored MCP call has");
  });
});

describe("/mcp-activity: a tool no catalogue knows, typed in another case", () => {
  // tool: is exact for a tool the catalogue does not know: tool:mycustomtool finds none of
  // myCustomTool's calls, and "Try a longer window" would find none either.
  it("tool:mycustomtool is answered with the stored spelling, tool:myCustomTool", async () => {
    const c = await queryRig();
    const base = normalizedEvent();
    new EventStore(c.db).insertMany(
      [
        {
          ...base,
          orgId: "org-1",
          id: "custom-1",
          time: c.clock.now() - 60_000,
          tool: "myCustomTool",
        },
      ],
      c.clock.now(),
    );
    expect((await c.ask("tool:myCustomTool since:1h")).text).not.toContain(EMPTY);
    const answer = (await c.ask("tool:mycustomtool since:1h")).text;
    expect(answer).toContain(EMPTY);
    expect(answer).not.toContain("Try a longer window");
    expect(answer).toContain("Did you mean `tool:myCustomTool`?");
  });
});

describe("/mcp-activity: rule: with an id no rule has", () => {
  // The short names people say (off-hours, burst) were searched as ids: "No MCP activity matches.
  // Try a longer window" while mcp-off-hours alerts existed.
  it("rule:off-hours is answered with rule:mcp-off-hours, whose alert it finds", async () => {
    const c = await queryRig();
    const at = c.clock.now() - 30 * 60_000;
    c.raise(
      { ruleId: "mcp-off-hours", groupKey: "mcp-off-hours|acc-x", firstSeen: at, lastSeen: at },
      { time: at },
    );
    expect((await c.ask("rule:mcp-off-hours since:1d")).text).toMatch(/1 MCP call\b/);
    const answer = (await c.ask("rule:off-hours since:1d")).text;
    expect(answer).not.toContain(EMPTY);
    expect(answer).toContain("did you mean rule:mcp-off-hours?");
  });

  // An identity rule's events are no MCP calls: no window finds them, while its alert is open.
  it("rule:two-step-disabled is answered with where its alerts are, not 'try a longer window'", async () => {
    const c = await queryRig();
    const at = c.clock.now() - 30 * 60_000;
    c.raise(
      {
        ruleId: "two-step-disabled",
        groupKey: "two-step-disabled|acc-x",
        firstSeen: at,
        lastSeen: at,
      },
      { time: at, isMcp: false, action: "user_2fa_disabled", tool: null, toolClass: null },
    );
    const answer = (await c.ask("rule:two-step-disabled status:open since:1d")).text;
    expect(answer).not.toContain(EMPTY);
    expect(answer).not.toContain("Try a longer window");
    expect(answer).toContain("two-step-disabled alerts are about identity events, not MCP calls");
  });
});

describe("/mcp-activity: a since: date typed without its dashes", () => {
  // since:20261101 was answered "did you mean since:20261101d?", itself refused (before 1970).
  it("since:20261101 is answered with since:2026-11-01, which finds the calls since", async () => {
    const c = await queryRig();
    const answer = (await c.ask("since:20261101")).text;
    expect(answer).not.toContain("since:20261101d");
    expect(answer).toContain("did you mean since:2026-11-01?");
    expect((await c.ask("since:2026-11-01")).text).toMatch(/\d+ MCP calls ·/);
  });
});

describe("/mcp-activity: rule: of a rule about admins' acts", () => {
  it("says why no call is found, not to try a longer window", async () => {
    const c = await queryRig();
    const answer = JSON.stringify((await c.ask("rule:mcp-settings-changed since:7d")).body);
    expect(answer).toContain("mcp-settings-changed alerts are mostly about an admin's act");
    expect(answer).not.toContain("Try a longer window");
  });
});

describe("/mcp-activity: a command's name mistyped", () => {
  // docs/query-language.md: a near miss of help, status or settings is answered with the command.
  it.each([
    ["setting", "/mcp-activity settings"],
    ["setings", "/mcp-activity settings"],
    ["stauts", "/mcp-activity status"],
    ["hlep", "/mcp-activity help"],
    ["settings:oauth", "/mcp-activity settings oauth"],
  ])("%s is answered with the command meant, not 'no activity'", async (typed, meant) => {
    const c = await queryRig();
    const answer = (await c.ask(typed)).text;
    expect(answer).not.toContain(EMPTY);
    expect(answer).toContain(`did you mean ${meant}?`);
  });

  it("searches for a word with a letter changed (a project key such as HELM), and any in quotes", async () => {
    const c = await queryRig();
    for (const typed of ["helm", '"hlep"'])
      expect((await c.ask(typed)).text, typed).not.toContain("is no command");
  });
});

describe("/mcp-activity: since: and until: naming one moment", () => {
  // The swap that answers since: after until: would be the very question refused.
  it.each(["since:2h until:2h", "since:1d until:1d", "since:24h until:1d"])(
    "%s is not answered with itself, but with how to ask",
    async (text) => {
      const c = await queryRig();
      const answer = (await c.ask(text)).text;
      expect(answer).toContain("is not before");
      expect(answer).not.toContain("did you mean");
      expect(answer).toContain("give an until: later than since:");
      // Leaving until: out, as it says, is answered.
      const since = text.split(" ")[0] ?? "";
      expect((await c.ask(since)).text).not.toContain("is not before");
    },
  );

  it("a since: after until: is still answered with the two swapped", async () => {
    const c = await queryRig();
    const answer = (await c.ask("since:1d until:2d")).text;
    expect(answer).toContain("did you mean since:2d until:1d?");
    expect((await c.ask("since:2d until:1d")).text).not.toContain("is not before");
  });
});
