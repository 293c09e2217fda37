import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventStore, fragments } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { decodeRaw, encodeRaw } from "../../src/store/raw-codec.js";
import { RAW_DICTIONARY_V1 } from "../../src/store/raw-dictionary.js";
import { mcpEvent } from "../detect/fixtures.js";

describe("raw JSON compression", () => {
  it("gives back any text byte for byte, with any context", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 3000 }),
        fc.string({ unit: "binary", maxLength: 3000 }),
        (raw, context) => {
          expect(decodeRaw(encodeRaw(raw, context), context)).toBe(raw);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives back any JSON as sent, however it is spaced", () => {
    fc.assert(
      fc.property(fc.json(), fc.jsonValue(), (raw, other) => {
        const context = JSON.stringify(other) ?? "";
        expect(decodeRaw(encodeRaw(raw, context), context)).toBe(raw);
      }),
      { numRuns: 300 },
    );
  });

  it("stores an event's JSON in a fraction of its size and reads the same text back", () => {
    const db = openStore(":memory:");
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
        { numRuns: 200, seed: 7 },
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
      .prepare<[], { raw: number }>("SELECT sum(length(raw)) AS raw FROM event_rows")
      .get();
    const text = sent.reduce((sum, e) => sum + Buffer.byteLength(e.raw), 0);
    expect(stored?.raw).toBeLessThan(text / 2);
    db.close();
  });

  it("finds the actor and container blocks as sent, or nothing", () => {
    const raw = '{"attributes":{"actor": {"id":"a","name":"x}{\\"y"},"container":[{"id":"s"}]}}';
    expect(fragments(raw)).toEqual({
      actor: '{"id":"a","name":"x}{\\"y"}',
      container: '[{"id":"s"}]',
    });
    expect(fragments("{}")).toEqual({ actor: null, container: null });
    expect(fragments('{"actor":"text"')).toEqual({ actor: null, container: null });
  });

  it("keeps its dictionary frozen: stored events were compressed against it", () => {
    expect(createHash("sha256").update(RAW_DICTIONARY_V1).digest("hex")).toBe(
      "e2e15e57f9c284ebef49e74a2a348b2a6820f695177854881fce3e38f960d432",
    );
  });
});
