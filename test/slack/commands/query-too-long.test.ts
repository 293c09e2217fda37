/**
 * A responder's question with many values (the people and sites of an incident) is too long for
 * the Show more and Export CSV buttons, which carry it: the answer says how to get every row,
 * and that way does give every row.
 */
import { expect, it } from "vitest";
import { describeQuery } from "../../../src/query/describe.js";
import { parseQuery } from "../../../src/query/parse.js";
import { PEOPLE, queryRig, SITES, TOOLS } from "./query-rig.js";

const COUNTRIES = ["Germany", "France", "Netherlands", "Belgium", "Austria", "Switzerland"]
  .concat(["Poland", "Czechia", "Denmark", "Sweden", "Norway", "Finland", "Ireland", "Spain"])
  .concat(["Portugal", "Italy", "Luxembourg", "Estonia", "Latvia", "Lithuania"]);

it("a question too long for its buttons says to narrow it or add format:csv, which gives every row", async () => {
  const r = await queryRig();
  const sites = [
    ...SITES,
    ...Array.from(
      { length: 17 },
      (_, i) => `acme-business-unit-${i}-production-europe-west-frankfurt.atlassian.net`,
    ),
  ];
  const question = [
    `user:${PEOPLE.map((p) => p.email).join(",")}`,
    `site:${sites.join(",")}`,
    `tool:${TOOLS.map(([t]) => t).join(",")}`,
    `country:${COUNTRIES.join(",")}`,
    "since:21d",
  ].join(" ");
  const { body, text } = await r.ask(question);
  const blocks = (body as { blocks: Array<{ type: string }> }).blocks;
  const calls = Number(/(\d[\d,]*) MCP calls/.exec(text)?.[1]?.replace(/,/g, ""));
  expect(calls).toBeGreaterThan(100);
  expect(text).toContain("*Latest*");
  expect(blocks.some((b) => b.type === "actions")).toBe(false);
  expect(text).toContain(
    "This question is too long to page through or export from here: narrow it, or add `format:csv` to it to get every row as a file.",
  );

  const csv = await r.ask(`${question} format:csv`);
  expect(csv.text).toContain(`(${calls} rows,`);
});

// Show more carries the page's position besides the question, so it can be too long where Export
// CSV is not: the answer must not say it cannot be exported beside its own Export CSV button.
/** `pad` characters as site names of at most 150 each. */
const chunks = (pad: number) =>
  Array.from({ length: Math.ceil(pad / 150) }, (_, i) => Math.min(150, pad - i * 150));

it("a question whose export fits but whose Show more does not is not told it cannot be exported", async () => {
  const r = await queryRig();
  const build = (pad: number) =>
    [
      `user:${PEOPLE.map((p) => p.email).join(",")}`,
      `site:${[...SITES, ...chunks(pad).map((n, i) => `s${i}-${"x".repeat(n)}.atlassian.net`)].join(",")}`,
      `tool:${TOOLS.map(([t]) => t).join(",")}`,
      "since:21d",
    ].join(" ");
  const now = r.clock.now();
  // The Export CSV value's length (activity() in query-answer.ts): {"v":2,"q":…,"n":now,"o":org}
  // (the organization the answer names: several are watched here).
  const exportLength = (pad: number) => {
    const parsed = parseQuery(build(pad), { now, timeZone: "Europe/Berlin" });
    if (!parsed.ok) throw new Error(parsed.error.message);
    return JSON.stringify({ v: 2, q: describeQuery(parsed.query), n: now, o: "org-1" }).length;
  };
  let pad = 0;
  while (exportLength(pad + 1) <= 2000) pad++;
  // 1,990 to 2,000 characters: the export fits; a cursor ({"time":…,"seq":…}) does not.
  expect(exportLength(pad)).toBeGreaterThan(1990);
  const { body, text } = await r.ask(build(pad));
  const blocks = (
    body as { blocks: Array<{ type: string; elements?: Array<{ text?: { text: string } }> }> }
  ).blocks;
  const buttons = blocks
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.text?.text);
  expect(buttons).toEqual(["Export CSV"]);
  // The reply must not say what its own button contradicts.
  expect(text).not.toContain("too long to page through or export from here");
  expect(text).toContain("too long to page through from here: *Export CSV*");
});
