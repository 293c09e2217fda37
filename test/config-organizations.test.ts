import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig, parseIngestConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import { tempDir } from "./helpers/tmp.js";

const slack = {
  SLACK_BOT_TOKEN: "xoxb-bot-SECRET-2",
  SLACK_SIGNING_SECRET: "signing-SECRET-3",
  SLACK_ALERT_CHANNEL: "C0123ABCD",
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig({ ...slack, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

const summary = (config: ReturnType<typeof parseConfig>) =>
  config.atlassian.organizations.map((o) => [
    o.orgId,
    o.apiKey.reveal(),
    o.apiKeyExpires === undefined ? undefined : new Date(o.apiKeyExpires).toISOString(),
  ]);

describe("several organizations in the configuration", () => {
  it("pairs one key and one expiry per organization, in order", () => {
    const config = parseConfig({
      ...slack,
      ATLASSIAN_ORG_ID: "org-a, org-b,org-c",
      ATLASSIAN_API_KEY: "key-SECRET-a,key-SECRET-b, key-SECRET-c",
      ATLASSIAN_API_KEY_EXPIRES: "2027-01-31,2027-02-28,2027-03-31",
    });
    expect(summary(config)).toEqual([
      ["org-a", "key-SECRET-a", "2027-01-31T00:00:00.000Z"],
      ["org-b", "key-SECRET-b", "2027-02-28T00:00:00.000Z"],
      ["org-c", "key-SECRET-c", "2027-03-31T00:00:00.000Z"],
    ]);
    // The first organization stays where one organization always was.
    expect(config.atlassian.orgId).toBe("org-a");
    expect(config.atlassian.apiKey.reveal()).toBe("key-SECRET-a");
    expect(Object.isFrozen(config.atlassian.organizations)).toBe(true);
    expect(JSON.stringify(config)).not.toContain("SECRET-a");
  });

  it("uses one key and one expiry for every organization", () => {
    const config = parseConfig({
      ...slack,
      ATLASSIAN_ORG_ID: "org-a,org-b",
      ATLASSIAN_API_KEY: "key-SECRET-all",
      ATLASSIAN_API_KEY_EXPIRES: "2027-01-31",
    });
    expect(summary(config)).toEqual([
      ["org-a", "key-SECRET-all", "2027-01-31T00:00:00.000Z"],
      ["org-b", "key-SECRET-all", "2027-01-31T00:00:00.000Z"],
    ]);
    // One key: the first organization warns of its expiry for both, the second not at all.
    const [a, b] = config.atlassian.organizations;
    expect([a?.keyAlsoOf, a?.keyWarnedBy, b?.keyAlsoOf, b?.keyWarnedBy]).toEqual([
      ["org-b"],
      undefined,
      [],
      "org-a",
    ]);
  });

  it("takes one key with its date given per organization as one key, and refuses two dates for it", () => {
    const config = parseConfig({
      ...slack,
      ATLASSIAN_ORG_ID: "org-a,org-b",
      ATLASSIAN_API_KEY: "key-SECRET-all",
      ATLASSIAN_API_KEY_EXPIRES: "2027-01-31,2027-01-31",
    });
    expect(config.atlassian.organizations.map((o) => [o.keyAlsoOf, o.keyWarnedBy])).toEqual([
      [["org-b"], undefined],
      [[], "org-a"],
    ]);
    expect(
      problems({
        ATLASSIAN_ORG_ID: "org-a,org-b",
        ATLASSIAN_API_KEY: "key-SECRET-all",
        ATLASSIAN_API_KEY_EXPIRES: "2027-01-31,2027-02-28",
      }),
    ).toEqual([
      "ATLASSIAN_API_KEY_EXPIRES gives different dates for the one key of ATLASSIAN_API_KEY: give its expiry date once",
    ]);
  });

  it("drops the spaces a pasted value carries, around a single value too", () => {
    const config = parseConfig({
      ...slack,
      ATLASSIAN_ORG_ID: " org-1 ",
      ATLASSIAN_API_KEY: " k \n",
      ATLASSIAN_API_KEY_EXPIRES: " 2027-01-31",
    });
    expect(summary(config)).toEqual([["org-1", "k", "2027-01-31T00:00:00.000Z"]]);
    expect(problems({ ATLASSIAN_ORG_ID: "  ", ATLASSIAN_API_KEY: "k" })).toEqual([
      expect.stringMatching(/^ATLASSIAN_ORG_ID is required/),
    ]);
  });

  it("refuses counts that do not match, naming the variables and never a key", () => {
    expect(
      problems({ ATLASSIAN_ORG_ID: "org-a,org-b", ATLASSIAN_API_KEY: "k-SECRET-1,k-SECRET-2,k-3" }),
    ).toEqual([
      "ATLASSIAN_API_KEY has 3 keys for the 2 organizations of ATLASSIAN_ORG_ID: give one key for all of them, or exactly one per organization, comma-separated in the same order",
    ]);
    expect(problems({ ATLASSIAN_ORG_ID: "org-a", ATLASSIAN_API_KEY: "k-1,k-2" })).toEqual([
      expect.stringMatching(
        /^ATLASSIAN_API_KEY has 2 keys for the organization of ATLASSIAN_ORG_ID/,
      ),
    ]);
    expect(
      problems({
        ATLASSIAN_ORG_ID: "org-a,org-b,org-c",
        ATLASSIAN_API_KEY: "k-1",
        ATLASSIAN_API_KEY_EXPIRES: "2027-01-31,2027-02-28",
      }),
    ).toEqual([
      expect.stringMatching(
        /^ATLASSIAN_API_KEY_EXPIRES has 2 dates for the 3 organizations of ATLASSIAN_ORG_ID: /,
      ),
    ]);
  });

  it("names the key file when the keys in it do not match", () => {
    const file = join(tempDir(), "keys");
    writeFileSync(file, "k-SECRET-1,k-SECRET-2\n");
    const found = problems({
      ATLASSIAN_ORG_ID: "org-a,org-b,org-c",
      ATLASSIAN_API_KEY_FILE: file,
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^the file ATLASSIAN_API_KEY_FILE names has 2 keys for the 3 organizations/,
      ),
    ]);
    expect(found.join("\n")).not.toContain("SECRET");
  });

  it("refuses duplicates and empty entries", () => {
    expect(problems({ ATLASSIAN_ORG_ID: "org-a,org-b,org-a", ATLASSIAN_API_KEY: "k" })).toEqual([
      "ATLASSIAN_ORG_ID names org-a twice: list each organization once",
    ]);
    // `org:` and every look-up by id ignore case: one of the two could never be reached.
    expect(problems({ ATLASSIAN_ORG_ID: "Org-A,org-b,org-a", ATLASSIAN_API_KEY: "k" })).toEqual([
      "ATLASSIAN_ORG_ID names Org-A and org-a, one organization (ids are read in any case): list each organization once",
    ]);
    const sameKey = problems({
      ATLASSIAN_ORG_ID: "org-a,org-b",
      ATLASSIAN_API_KEY: "k-SECRET-9,k-SECRET-9",
    });
    expect(sameKey).toEqual([
      expect.stringMatching(/^ATLASSIAN_API_KEY holds the same key twice: /),
    ]);
    expect(sameKey.join("\n")).not.toContain("SECRET");
    expect(problems({ ATLASSIAN_ORG_ID: "org-a,,org-b", ATLASSIAN_API_KEY: "k" })).toEqual([
      "ATLASSIAN_ORG_ID has an empty entry between commas: remove the extra comma",
    ]);
    expect(problems({ ATLASSIAN_ORG_ID: "org-a,org-b", ATLASSIAN_API_KEY: "k-1," })).toEqual([
      "ATLASSIAN_API_KEY has an empty entry between commas: remove the extra comma",
    ]);
    expect(
      problems({
        ATLASSIAN_ORG_ID: "org-a,org-b",
        ATLASSIAN_API_KEY: "k",
        ATLASSIAN_API_KEY_EXPIRES: "2027-01-31,someday",
      }),
    ).toEqual([expect.stringMatching(/^ATLASSIAN_API_KEY_EXPIRES must be the key's expiry date/)]);
  });

  it("refuses an API key given as an organization id (the two swapped), never showing it", () => {
    const SWAPPED =
      "ATLASSIAN_ORG_ID holds what looks like an API key, not an organization id: are ATLASSIAN_ORG_ID and ATLASSIAN_API_KEY swapped? The organization id is the <id> in the admin hub URL https://admin.atlassian.com/o/<id>/";
    const uuid = "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
    const key = "ATCTT3xFfGN0SECRETkey";
    expect(problems({ ATLASSIAN_ORG_ID: key, ATLASSIAN_API_KEY: uuid })).toEqual([SWAPPED]);
    // Twice, or beside the real id: the checks that quote an id are not reached.
    expect(problems({ ATLASSIAN_ORG_ID: `${key},${key}`, ATLASSIAN_API_KEY: "k" })).toEqual([
      SWAPPED,
    ]);
    // A key of another kind, or cut, is far longer than an id all the same.
    const long = `SECRET${"x9_-=".repeat(30)}`;
    expect(problems({ ATLASSIAN_ORG_ID: `org-a,${long}`, ATLASSIAN_API_KEY: "k" })).toEqual([
      SWAPPED,
    ]);
    // Ids as Atlassian gives them, and a long admin hub URL, are told as before.
    expect(
      summary(parseConfig({ ...slack, ATLASSIAN_ORG_ID: uuid, ATLASSIAN_API_KEY: key })),
    ).toEqual([[uuid, key, undefined]]);
    const url = `https://admin.atlassian.com/o/${uuid}/users?${"status=active&".repeat(6)}`;
    expect(problems({ ATLASSIAN_ORG_ID: url, ATLASSIAN_API_KEY: "k" })).toEqual([
      expect.stringContaining(`(the id in that URL is ${uuid})`),
    ]);
  });

  it("says to separate ids with commas, not that a long list written otherwise is a key", () => {
    const ids = [
      "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
      "2a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
      "3a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
    ];
    const told = (separator: string) =>
      `ATLASSIAN_ORG_ID holds ids separated by ${separator}: separate ids with commas, such as <id>,<id>`;
    const key = "ATCTT3xFfGN0-real-key";
    // Three ids joined by ";" make one entry of 110 characters: a list, not a key.
    expect(problems({ ATLASSIAN_ORG_ID: ids.join(";"), ATLASSIAN_API_KEY: key })).toEqual([
      told('";"'),
    ]);
    expect(problems({ ATLASSIAN_ORG_ID: ids.join(" | "), ATLASSIAN_API_KEY: key })).toEqual([
      told('"|"'),
    ]);
    expect(problems({ ATLASSIAN_ORG_ID: "org-a;org-b", ATLASSIAN_API_KEY: key })).toEqual([
      told('";"'),
    ]);
    expect(
      problems({ ATLASSIAN_ORG_ID: `org-a,${ids.join(" ")}`, ATLASSIAN_API_KEY: key }),
    ).toEqual([told("spaces")]);
    // A key in such a list is still a key, never shown.
    const found = problems({ ATLASSIAN_ORG_ID: `${ids[0]};${key}`, ATLASSIAN_API_KEY: "k" });
    expect(found).toEqual([expect.stringContaining("swapped?")]);
    expect(found.join("\n")).not.toContain("real-key");
  });

  it("checks the same for commands without Slack", () => {
    expect(() =>
      parseIngestConfig({ ATLASSIAN_ORG_ID: "org-a,org-b", ATLASSIAN_API_KEY: "k-1,k-2,k-3" }),
    ).toThrow(/ATLASSIAN_API_KEY has 3 keys for the 2 organizations/);
    expect(
      parseIngestConfig({ ATLASSIAN_ORG_ID: "org-a,org-b", ATLASSIAN_API_KEY: "k-1,k-2" }).atlassian
        .organizations,
    ).toHaveLength(2);
  });
});
