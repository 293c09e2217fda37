/** How lists of accounts tell apart two accounts of one name: pure functions. */
import { describe, expect, it } from "vitest";
import { accountLabels, rankedLabel, rankedLabels } from "../../src/slack/blocks/person-labels.js";

describe("accountLabels", () => {
  it("adds the e-mail, else the id, to a name shown twice, and escapes both", () => {
    expect(
      accountLabels(
        [
          { name: "Automation", email: null, id: "acc-1" },
          { name: "Automation", email: "<!here>@x.io", id: "acc-2" },
          { name: "Sam", email: "sam@x.io", id: "acc-3" },
        ],
        80,
      ),
    ).toEqual(["Automation (acc-1)", "Automation (&lt;!here&gt;@x.io)", "Sam"]);
  });

  it("takes names that show as one for one name: invisible characters, case, width", () => {
    expect(
      accountLabels(
        [
          { name: "Alex Kim", email: "a@x.io" },
          { name: "Alex\u200b Kim", email: "b@x.io" },
          { name: "alex\u2060 kim\ufeff", email: "c@x.io" },
          { name: "Ａｌｅｘ  Kim\u00ad", email: "d@x.io" },
          { name: "Alex\u200e Kim", email: "e@x.io" },
          { name: "Alex Kimm", email: "f@x.io" },
        ],
        80,
      ),
    ).toEqual([
      "Alex Kim (a@x.io)",
      "Alex Kim (b@x.io)",
      "alex kim (c@x.io)",
      "Ａｌｅｘ  Kim (d@x.io)",
      "Alex\u200e Kim (e@x.io)",
      "Alex Kimm",
    ]);
  });

  it("takes names cut to one for one name", () => {
    const long = "n".repeat(100);
    expect(
      accountLabels(
        [
          { name: `${long}1`, email: "a@x.io" },
          { name: `${long}2`, email: "b@x.io" },
        ],
        20,
      ),
    ).toEqual([`${"n".repeat(19)}… (a@x.io)`, `${"n".repeat(19)}… (b@x.io)`]);
  });

  it("adds the id when the accounts of a name share the e-mail too, whatever its case", () => {
    expect(
      accountLabels(
        [
          { name: "Alice", email: "alice@x.io", id: "acc-1" },
          { name: "Alice", email: "Alice@x.io", id: "acc-2" },
          { name: "Alice", email: "a.2@x.io", id: "acc-3" },
          { name: "Bob", email: "alice@x.io", id: "acc-4" },
        ],
        80,
      ),
    ).toEqual(["Alice (acc-1)", "Alice (acc-2)", "Alice (a.2@x.io)", "Bob"]);
  });

  it("leaves a name shown twice alone when nothing tells its accounts apart", () => {
    expect(
      accountLabels(
        [
          { name: "x", email: null },
          { name: "x", email: null },
        ],
        80,
      ),
    ).toEqual(["x", "x"]);
  });
});

describe("rankedLabels", () => {
  it("tells a key ranked twice by the e-mail, else the id, apart and unescaped, counts kept", () => {
    expect(
      rankedLabels(
        [
          { key: "Alex Kim", count: 3, email: "a@x.io", id: "acc-1" },
          { key: "Alex Kim", count: 2, email: null, id: "acc-2" },
          { key: "b@x.io", count: 1, email: "b@x.io", id: "acc-3" },
        ],
        80,
      ),
    ).toEqual([
      { key: "Alex Kim", count: 3, told: "a@x.io" },
      { key: "Alex Kim", count: 2, told: "acc-2" },
      { key: "b@x.io", count: 1 },
    ]);
  });

  it("takes keys that show as one for one key: invisible characters, case, escaping", () => {
    expect(
      rankedLabels(
        [
          { key: "Alex Kim", count: 3, email: "a@x.io", id: "acc-1" },
          { key: "ALEX\u200d KIM", count: 2, email: "b@x.io", id: "acc-2" },
          { key: "a*b", count: 2, email: "c@x.io", id: "acc-3" },
          { key: "a∗b", count: 1, email: "d@x.io", id: "acc-4" },
        ],
        80,
      ).map((r) => r.told),
    ).toEqual(["a@x.io", "b@x.io", "c@x.io", "d@x.io"]);
  });

  it("takes keys cut to one for one key, and shows the name cut, then the e-mail", () => {
    const long = "n".repeat(100);
    const ranked = rankedLabels(
      [
        { key: `${long}1`, count: 2, email: "a@x.io", id: "acc-1" },
        { key: `${long}2`, count: 1, email: "<b>@x.io", id: "acc-2" },
        { key: "Sam", count: 1, email: "s@x.io", id: "acc-3" },
      ],
      20,
    );
    expect(ranked.map((r) => rankedLabel(r, 20))).toEqual([
      `${"n".repeat(19)}… (a@x.io)`,
      `${"n".repeat(19)}… (&lt;b&gt;@x.io)`,
      "Sam",
    ]);
  });

  it("tells keys ranked twice with one e-mail by the id", () => {
    expect(
      rankedLabels(
        [
          { key: "Alex Kim", count: 3, email: "a@x.io", id: "acc-1" },
          { key: "Alex Kim", count: 2, email: "a@x.io", id: "acc-2" },
          { key: "Alex Kim", count: 1, email: "b@x.io", id: "acc-3" },
        ],
        80,
      ).map((r) => r.told),
    ).toEqual(["acc-1", "acc-2", "b@x.io"]);
  });

  it("does not repeat a key that is already the e-mail", () => {
    expect(
      rankedLabels(
        [
          { key: "a@x.io", count: 2, email: "a@x.io", id: "acc-1" },
          { key: "a@x.io", count: 1, email: "a@x.io", id: "acc-2" },
        ],
        80,
      ),
    ).toEqual([
      { key: "a@x.io", count: 2, told: "acc-1" },
      { key: "a@x.io", count: 1, told: "acc-2" },
    ]);
  });
});
