import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { SlackDirectory } from "../../src/slack/directory.js";
import { KeyExpiryNotices } from "../../src/slack/key-expiry.js";
import {
  daysLeft,
  dueWarning,
  keyVerdict,
  pastDateWarning,
} from "../../src/slack/key-expiry-dates.js";
import { Responders } from "../../src/slack/responders.js";
import { DAY } from "../../src/time-units.js";
import { CHANNEL, slackRig } from "./setup.js";

const EXPIRES = Date.UTC(2027, 0, 31);

/** The warnings of a key expiring at `expires`, to a channel whose only member is a responder. */
function noticesOf(r: Awaited<ReturnType<typeof slackRig>>, expires: number): KeyExpiryNotices {
  r.slack.setMembers(CHANNEL, ["URESP"]);
  return new KeyExpiryNotices({
    notices: r.stores.notices,
    outbox: r.stores.outbox,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
    keyTag: "key-1",
    channel: CHANNEL,
    expires,
    responders: new Responders({
      client: r.client,
      directory: new SlackDirectory({ client: r.client, clock: r.clock }),
      clock: r.clock,
      logger: r.logs.logger,
      configured: [],
      channel: CHANNEL,
    }),
  });
}

describe("API key expiry warnings", () => {
  it("are due 14, 7 and 1 days before and on expiry, most urgent first, never late one by one", () => {
    expect(daysLeft(EXPIRES, EXPIRES - 14 * DAY)).toBe(14);
    expect(dueWarning(EXPIRES, EXPIRES - 15 * DAY, new Set())).toBeUndefined();
    expect(dueWarning(EXPIRES, EXPIRES - 14 * DAY, new Set())).toBe(14);
    expect(dueWarning(EXPIRES, EXPIRES - 10 * DAY, new Set([14]))).toBeUndefined();
    expect(dueWarning(EXPIRES, EXPIRES - 3 * DAY, new Set())).toBe(7);
    expect(dueWarning(EXPIRES, EXPIRES - DAY + 1, new Set([14, 7]))).toBe(1);
    expect(dueWarning(EXPIRES, EXPIRES + 1, new Set([14, 7, 1]))).toBe(0);
    expect(dueWarning(EXPIRES, EXPIRES + DAY, new Set([14, 7, 1, 0]))).toBeUndefined();
  });

  it("post each warning to the channel once, across restarts", async () => {
    const r = await slackRig();
    const expires = r.clock.now() + 20 * DAY;
    const notices = () => noticesOf(r, expires);
    const texts = () => r.slack.messages(CHANNEL).map((m) => m.text);
    /** A fresh process's check, and what it queued sent. */
    const check = async () => {
      notices().check();
      await r.poster.drain();
    };
    await check();
    expect(texts()).toEqual([]);
    r.clock.advance(6 * DAY);
    await check();
    await check();
    const day = new Date(expires).toISOString().slice(0, 10);
    expect(texts()).toEqual([
      `⚠️ The Atlassian organization API key expires on ${day}, in 14 days. Then the audit log can no longer be read. Create a new organization API key in Atlassian Administration → Settings → API keys, set ATLASSIAN_API_KEY and ATLASSIAN_API_KEY_EXPIRES, and restart mcp-activity.`,
    ]);
    r.clock.advance(13 * DAY + 1);
    await check();
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toMatch(
      /^⚠️ <!here> The Atlassian organization API key expires on .*, in 1 day\./,
    );
    r.clock.advance(DAY);
    await check();
    await check();
    expect(texts()).toHaveLength(3);
    // On the day (a date does not say at what hour): "today", not "expired".
    expect(texts()[2]).toMatch(
      new RegExp(
        `^🔴 <!here> The Atlassian organization API key expires today \\(${day}\\): once it has`,
      ),
    );
    r.clock.advance(DAY);
    await check();
    expect(texts()).toHaveLength(3); // said once
  });

  it("says the key expired once its day is over, for a bot that was down on the day, once a poll was refused", async () => {
    const r = await slackRig();
    const expires = r.clock.now() - DAY - 1;
    const notices = noticesOf(r, expires);
    notices.check();
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toEqual([]); // no poll has ended yet: the date alone says nothing
    // Failures that say nothing of the key: rate limited, the API down, the network, a timeout.
    for (const kind of ["rate-limited", "server", "network", "timeout", "internal"])
      notices.pollEnded(kind);
    notices.check();
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toEqual([]);
    notices.pollEnded("auth");
    await r.poster.drain();
    const day = new Date(expires).toISOString().slice(0, 10);
    expect(r.slack.messages(CHANNEL).map((m) => m.text)).toEqual([
      expect.stringMatching(
        new RegExp(`^🔴 <!here> The Atlassian organization API key expired on ${day}:`),
      ),
    ]);
  });

  it("say once, mentioning no one, that a date past while the key still reads the log looks stale", async () => {
    const r = await slackRig();
    const expires = r.clock.now() - 3 * DAY;
    const day = new Date(expires).toISOString().slice(0, 10);
    const texts = () => r.slack.messages(CHANNEL).map((m) => m.text);
    expect(pastDateWarning(expires, r.clock.now())).toMatch(
      new RegExp(`^ATLASSIAN_API_KEY_EXPIRES gives ${day} for the key, a date already past`),
    );
    expect(pastDateWarning(r.clock.now(), r.clock.now())).toBeUndefined(); // today: not past
    const first = noticesOf(r, expires);
    first.check();
    first.pollEnded(null);
    first.pollEnded(null);
    first.check();
    // A restart: the notice is recorded, not said again.
    const second = noticesOf(r, expires);
    second.pollEnded(null);
    await r.poster.drain();
    expect(texts()).toEqual([
      `⚠️ ATLASSIAN_API_KEY_EXPIRES looks stale: it gives ${day} for the Atlassian organization API key, which still reads the audit log after that date. Set it to the key's expiry date (Atlassian Administration → Settings → API keys) and restart mcp-activity: until then no warning comes before the key expires.`,
    ]);
  });

  it("after expires today, a key still read the next day makes the date stale", async () => {
    const r = await slackRig();
    const expires = r.clock.now() - 1; // today
    const notices = noticesOf(r, expires);
    notices.pollEnded(null); // on the day: a working key says nothing yet
    notices.check();
    r.clock.advance(DAY);
    notices.check(); // the last success was on the day: not stale, and expiry was said already
    notices.pollEnded(null);
    await r.poster.drain();
    const texts = r.slack.messages(CHANNEL).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^🔴 <!here> The Atlassian organization API key expires today/);
    expect(texts[1]).toMatch(/^⚠️ ATLASSIAN_API_KEY_EXPIRES looks stale: /);
  });

  it("say once that a key read after the day said to be stale is refused now, after expires today", async () => {
    const r = await slackRig();
    const expires = r.clock.now() - 1; // today
    const texts = () => r.slack.messages(CHANNEL).map((m) => m.text);
    const notices = noticesOf(r, expires);
    notices.check(); // expires today
    r.clock.advance(DAY);
    notices.pollEnded(null); // read after the day (in UTC): the date looks stale
    notices.pollEnded("timeout");
    await r.poster.drain();
    r.clock.advance(8 * 3_600_000);
    notices.pollEnded("auth"); // the day is over where the key was made: refused
    notices.pollEnded("auth");
    // A restart: said already.
    noticesOf(r, expires).pollEnded("auth");
    await r.poster.drain();
    const day = new Date(expires).toISOString().slice(0, 10);
    expect(texts()).toEqual([
      expect.stringMatching(/^🔴 <!here> The Atlassian organization API key expires today/),
      expect.stringMatching(/^⚠️ ATLASSIAN_API_KEY_EXPIRES looks stale: /),
      `🔴 <!here> The Atlassian organization API key is refused: the audit log can no longer be read, so nothing new is watched. It read the log after ${day}, the date ATLASSIAN_API_KEY_EXPIRES gives, so it has expired since or been revoked. Create a new organization API key in Atlassian Administration → Settings → API keys, set ATLASSIAN_API_KEY and ATLASSIAN_API_KEY_EXPIRES, and restart mcp-activity.`,
    ]);
  });

  it("decide from every organization one key reads: read by one, refused by another, it works", () => {
    const expires = Date.UTC(2027, 0, 31);
    const after = expires + DAY + 1;
    const reads = { workedAt: after, refused: false };
    const refused = { workedAt: after, refused: true };
    const unknown = { workedAt: expires, refused: false };
    expect(keyVerdict(expires, [])).toBeUndefined();
    expect(keyVerdict(expires, [unknown])).toBeUndefined();
    expect(keyVerdict(expires, [undefined])).toBeUndefined();
    expect(keyVerdict(expires, [refused])).toBe("refused");
    expect(keyVerdict(expires, [refused, reads])).toBe("reads");
    expect(keyVerdict(expires, [refused, refused])).toBe("refused");
    // Refused by one while another has not said since the day ended: its own problem, perhaps.
    expect(keyVerdict(expires, [unknown, refused])).toBeUndefined();
    expect(keyVerdict(expires, [refused, undefined])).toBeUndefined();
  });

  it("read ATLASSIAN_API_KEY_EXPIRES as a date, and refuse anything else with the variable's name", () => {
    const base = {
      ATLASSIAN_ORG_ID: "o",
      ATLASSIAN_API_KEY: "k",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      SLACK_ALERT_CHANNEL: "C0123ABCD",
    };
    expect(
      parseConfig({ ...base, ATLASSIAN_API_KEY_EXPIRES: "2027-01-31" }).atlassian.apiKeyExpires,
    ).toBe(EXPIRES);
    expect(parseConfig(base).atlassian.apiKeyExpires).toBeUndefined();
    expect(() => parseConfig({ ...base, ATLASSIAN_API_KEY_EXPIRES: "31/01/2027" })).toThrow(
      /ATLASSIAN_API_KEY_EXPIRES must be the key's expiry date such as 2027-01-31/,
    );
  });

  it("with several organizations, warn about each key once, naming its organization", async () => {
    const r = await slackRig();
    const expires = r.clock.now() + 5 * DAY;
    const responders = new Responders({
      client: r.client,
      directory: new SlackDirectory({ client: r.client, clock: r.clock }),
      clock: r.clock,
      logger: r.logs.logger,
      configured: ["UONE"],
      channel: CHANNEL,
    });
    const notices = (orgId: string, name: string) =>
      new KeyExpiryNotices({
        notices: r.stores.notices,
        outbox: r.stores.outbox,
        clock: r.clock,
        logger: r.logs.logger,
        orgId,
        keyTag: `key-of-${orgId}`,
        channel: CHANNEL,
        expires,
        responders,
        organization: () => name,
      });
    notices("org-a", "Alpha").check();
    notices("org-b", "Beta").check();
    notices("org-a", "Alpha").check();
    await r.poster.drain();
    const texts = r.slack.messages(CHANNEL).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(
      /^⚠️ The Atlassian organization API key of \*Alpha\* \(org-a\) expires on /,
    );
    expect(texts[1]).toMatch(
      /^⚠️ The Atlassian organization API key of \*Beta\* \(org-b\) expires on /,
    );
  });

  it("with one key given for all organizations, warn once for them all", async () => {
    const r = await slackRig();
    const expires = r.clock.now() + 5 * DAY;
    const responders = new Responders({
      client: r.client,
      directory: new SlackDirectory({ client: r.client, clock: r.clock }),
      clock: r.clock,
      logger: r.logs.logger,
      configured: ["UONE"],
      channel: CHANNEL,
    });
    // As src/watched-organization.ts builds them from one ATLASSIAN_API_KEY for org-a and org-b.
    const notices = (orgId: string, name: string, first: boolean) =>
      new KeyExpiryNotices({
        notices: r.stores.notices,
        outbox: r.stores.outbox,
        clock: r.clock,
        logger: r.logs.logger,
        orgId,
        keyTag: "key-1",
        channel: CHANNEL,
        expires: first ? expires : undefined,
        // Beta's name is not known yet (its access check has not answered): its id stands.
        alsoOf: () => (first ? [["org-b", "org-b"] as const] : []),
        responders,
        organization: () => name,
      });
    notices("org-a", "Alpha", true).check();
    notices("org-b", "Beta", false).check();
    await r.poster.drain();
    const texts = r.slack.messages(CHANNEL).map((m) => m.text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(
      /^⚠️ The Atlassian organization API key of \*Alpha\* \(org-a\) and org-b expires on /,
    );
  });

  it("with one key given for all organizations, warn once whatever their order, or one fewer or more", async () => {
    const { r, check, texts } = await freshChecks();
    const expires = r.clock.now() + 5 * DAY;
    await check("key-1", expires, "org-a", "org-b");
    expect(texts()).toEqual([expect.stringContaining(", in 5 days.")]);
    await check("key-1", expires, "org-b"); // org-a no longer watched
    await check("key-1", expires, "org-b", "org-a"); // listed again, in another order
    await check("key-1", expires, "org-c", "org-b", "org-a"); // one more, first
    expect(texts()).toHaveLength(1);
    r.clock.advance(4 * DAY + 1);
    await check("key-1", expires, "org-c", "org-b", "org-a");
    await check("key-1", expires, "org-a", "org-b");
    expect(texts()).toEqual([
      expect.stringContaining(", in 5 days."),
      expect.stringMatching(/^⚠️ <@UONE> .*, in 1 day\./),
    ]);
  });

  it("a warning recorded before warnings named their key is not posted again, whichever organization it was recorded under", async () => {
    const { r, check, texts } = await freshChecks();
    const expires = r.clock.now() + 5 * DAY;
    const day = new Date(expires).toISOString().slice(0, 10);
    // As an earlier release recorded it for ATLASSIAN_ORG_ID=org-a,org-b and one key: the 7-day
    // warning (and the 14 before it) under org-a alone, its message posted then.
    r.stores.notices.claim("org-a", `api-key-expires:${day}:7`, [`api-key-expires:${day}:14`], 0);
    await check("key-1", expires, "org-b"); // upgraded, org-a no longer watched
    expect(texts()).toEqual([]);
    r.clock.advance(4 * DAY + 1);
    await check("key-1", expires, "org-b");
    expect(texts()).toEqual([expect.stringContaining(", in 1 day.")]);
  });

  it("one key for all, then one key per organization: the new key is warned of though it expires the same day", async () => {
    const { r, check, texts } = await freshChecks();
    const expires = r.clock.now() + 5 * DAY;
    await check("key-1", expires, "org-a", "org-b");
    expect(texts()).toHaveLength(1);
    // ATLASSIAN_API_KEY=<key-1>,<key-2>, one expiry date: org-a keeps key-1, org-b has its own.
    await check("key-1", expires, "org-a"); // warned of already
    await check("key-2", expires, "org-b");
    expect(texts()).toEqual([
      expect.stringContaining(" of org-a and org-b expires on "),
      expect.stringMatching(/^⚠️ The Atlassian organization API key expires on .*, in 5 days\./),
    ]);
    // Or the other way round: org-b keeps key-1 and org-a has a new key.
    await check("key-3", expires, "org-a");
    await check("key-1", expires, "org-b");
    expect(texts()).toHaveLength(3);
    r.clock.advance(4 * DAY + 1);
    await check("key-3", expires, "org-a");
    await check("key-2", expires, "org-b");
    await check("key-1", expires, "org-b");
    expect(texts().filter((t) => t.includes(", in 1 day."))).toHaveLength(3);
  });
});

/**
 * Checks as a fresh process makes them: `key` (its fingerprint) warned of by `first`, for
 * `others` too when given for all of them.
 */
async function freshChecks() {
  const r = await slackRig();
  const responders = new Responders({
    client: r.client,
    directory: new SlackDirectory({ client: r.client, clock: r.clock }),
    clock: r.clock,
    logger: r.logs.logger,
    configured: ["UONE"],
    channel: CHANNEL,
  });
  const check = async (key: string, expires: number, first: string, ...others: string[]) => {
    // As src/watched-organization.ts builds them: the first warns for the others.
    new KeyExpiryNotices({
      notices: r.stores.notices,
      outbox: r.stores.outbox,
      clock: r.clock,
      logger: r.logs.logger,
      orgId: first,
      keyTag: key,
      channel: CHANNEL,
      expires,
      alsoOf: () => others.map((id) => [undefined, id] as const),
      responders,
    }).check();
    await r.poster.drain();
  };
  const texts = () => r.slack.messages(CHANNEL).map((m) => m.text);
  return { r, check, texts };
}
