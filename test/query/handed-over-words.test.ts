/** What an answer about an address says of the accounts that had it before: pure words. */
import { describe, expect, it } from "vitest";
import { handedOverWords } from "../../src/query/handed-over-words.js";
import { notesText } from "../../src/slack/blocks/query.js";

const handedOver = {
  email: "ops@example.com",
  holder: { id: "acc-new", name: "Nu Hire", email: "ops@example.com" },
  former: [
    { id: "acc-lee", name: "Lee <!here>", email: "lee@example.com" },
    { id: "acc-kim", name: null, email: "kim*@example.com" },
  ],
};

describe("an address others had before", () => {
  it("names each former holder by account id and says how to ask about them", () => {
    const plain = { code: (s: string) => s, text: (s: string) => s };
    expect(handedOverWords(handedOver, plain)).toBe(
      "user:ops@example.com is Nu Hire (account acc-new), who has that address now. It was also the address of Lee <!here> (account acc-lee, lee@example.com now), kim*@example.com (account acc-kim, kim*@example.com now): their calls are not in this answer; ask with user: and the account id.",
    );
  });

  it("escapes the names and addresses for Slack", () => {
    const said = notesText({ handedOver: [handedOver] });
    expect(said).toContain("Lee &lt;!here&gt; (account `acc-lee`, lee@example.com now)");
    expect(said).toContain("kim∗@example.com (account `acc-kim`");
    expect(said).not.toContain("<!here>");
  });
});
