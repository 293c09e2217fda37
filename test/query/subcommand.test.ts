import { describe, expect, it } from "vitest";
import { subcommandMeant } from "../../src/query/subcommand.js";

describe("subcommandMeant", () => {
  it.each([
    ["setting", "settings"],
    ["setings", "settings"],
    ["Settigns", "settings"],
    ["stauts", "status"],
    ["statu", "status"],
    ["stats", "status"],
    ["hlep", "help"],
    ["hepl", "help"],
    ["setings api-tokens", "settings api-tokens"],
    ["settings:oauth", "settings oauth"],
    ["settings:", "settings"],
  ])("reads %s as %s", (typed, meant) => {
    expect(subcommandMeant(typed)).toBe(meant);
  });

  it.each([
    "help",
    "status",
    "settings",
    "state",
    "helm",
    "held",
    "yelp",
    "setsings",
    "hello",
    "status:open",
    "stauts since:7d",
    "user:alice",
    "",
  ])("leaves %j alone", (typed) => {
    expect(subcommandMeant(typed)).toBeUndefined();
  });
});
