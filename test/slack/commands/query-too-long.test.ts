/**
 * A responder's question with many values (the people and sites of an incident) is too long for
 * the Show more and Export CSV buttons, which carry it: the answer says how to get every row,
 * and that way does give every row.
 */
import { expect, it } from "vitest";
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
