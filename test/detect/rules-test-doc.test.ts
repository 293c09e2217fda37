/**
 * docs/rules.md on what `rules test` leaves out of the channel's messages agrees with
 * docs/configuration.md: every organization posts its own digests to the one channel.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";

/** A page of docs/, its lines joined as markdown renders them. */
const page = (name: string) =>
  readFileSync(resolve(import.meta.dirname, "../../docs", name), "utf8").replace(/\s+/g, " ");

it("docs/rules.md leaves out of the count a digest a day for each organization, each posting its own", () => {
  expect(page("configuration.md")).toContain(
    "Each organization gets its own poller and rules, alerts, follow-ups, daily and weekly digests",
  );
  const rules = page("rules.md");
  expect(rules).toContain("These count the alerts, and nothing else: their threads add");
  expect(rules).toContain(
    "and each organization posts its own digest, one message a day, and its weekly one",
  );
  expect(rules).not.toContain("the digest one message a day");
});
