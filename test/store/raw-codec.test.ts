import { createHash } from "node:crypto";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { BLOCK_EVENTS, decodeBlock, encodeBlock } from "../../src/store/raw-codec.js";
import { RAW_DICTIONARY_V1 } from "../../src/store/raw-dictionary.js";
import { mcpEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("raw JSON compression", () => {
  it("gives back any texts byte for byte, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "binary", maxLength: 2000 }), { minLength: 1, maxLength: 40 }),
        (raws) => {
          expect(decodeBlock(encodeBlock(raws))).toEqual(raws);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives back any JSON as sent, however it is spaced", () => {
    fc.assert(
      fc.property(fc.array(fc.json(), { minLength: 1, maxLength: 20 }), (raws) => {
        expect(decodeBlock(encodeBlock(raws))).toEqual(raws);
      }),
      { numRuns: 200 },
    );
  });

  it("gives back blocks larger than its scratch buffer, and the blocks before them", () => {
    // 2 × 200,000 three-byte characters: 1.2 MB of text, past the 1 MB kept for blocks.
    const huge = [`{"m":"${"€".repeat(200_000)}"}`, `{"n":"${"é".repeat(200_000)}"}`];
    const small = ['{"id":"a","message":"Créé"}', '{"id":"b"}'];
    const first = encodeBlock(small);
    const large = encodeBlock(huge);
    const after = encodeBlock(["{}", ...small]);
    expect(decodeBlock(first)).toEqual(small);
    expect(decodeBlock(large)).toEqual(huge);
    expect(decodeBlock(after)).toEqual(["{}", ...small]);
  });

  it("stores an event's JSON in a fraction of its size and reads the same text back", () => {
    const db = openStore(join(tempDir(), "codec.db"));
    const events = new EventStore(db);
    const sent = fc
      .sample(
        fc.record({
          id: fc.uuid().map((id) => id.toLowerCase()),
          name: fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]{0,20}[a-zé]$/),
          message: fc.option(
            fc.stringMatching(/^[A-Za-z0-9é][A-Za-z0-9é ,.:“”-]{0,120}[a-z0-9]$/),
            {
              nil: null,
            },
          ),
          resource: fc.option(fc.stringMatching(/^[A-Z]{2,5}-[0-9]{1,6}$/), { nil: null }),
          spaced: fc.boolean(),
        }),
        { numRuns: 2 * BLOCK_EVENTS + 7, seed: 7 },
      )
      .map((v, i) => {
        const event = mcpEvent({
          id: v.id,
          seq: i + 1,
          actorName: v.name,
          userName: v.name,
          message: v.message,
          resource: v.resource,
        });
        // JSON as another sender might space it: the bytes must come back as they were.
        const raw = v.spaced ? JSON.stringify(JSON.parse(event.raw), null, 2) : event.raw;
        return { ...event, raw };
      });
    db.transaction(() => events.insertMany(sent, 1))();
    const read = [...events.iterate("org-1", 50)].flat();
    expect(read.map((e) => e.raw)).toEqual(sent.map((e) => e.raw));
    expect(read.map((e) => [e.actorName, e.message, e.resource])).toEqual(
      sent.map((e) => [e.actorName, e.message, e.resource]),
    );
    const stored = db
      .prepare<[], { raw: number; blocks: number }>(
        "SELECT sum(length(data)) AS raw, count(*) AS blocks FROM raw_blocks",
      )
      .get();
    expect(stored?.blocks).toBe(3);
    const text = sent.reduce((sum, e) => sum + Buffer.byteLength(e.raw), 0);
    expect(stored?.raw).toBeLessThan(text / 2);
    db.close();
  });

  it("keeps its dictionary frozen: stored events were compressed against it", () => {
    expect(createHash("sha256").update(RAW_DICTIONARY_V1).digest("hex")).toBe(
      "e2e15e57f9c284ebef49e74a2a348b2a6820f695177854881fce3e38f960d432",
    );
  });
});
