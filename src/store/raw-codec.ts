import { deflateRawSync, inflateRawSync } from "node:zlib";
import { RAW_DICTIONARY_V1 } from "./raw-dictionary.js";

/**
 * The raw JSON of an event, stored byte for byte in about a sixth of its size. The first byte
 * says how: 0, as UTF-8; 1, raw deflate against a dictionary of the audit log's shapes followed
 * by `context`, text the row stores anyway (its people, site, tool, actor object…), so that what
 * the columns hold costs the raw copy a few bits. The same context must be given to decode.
 *
 * Measured on simulated events (1,124 bytes of JSON on average): plain deflate ~596 bytes; with
 * this dictionary and context ~165, in ~25 µs an event (most of it zlib's per-call set-up; a
 * window of 8 KB sets up faster than 32 KB).
 */
const PLAIN = 0;
const DEFLATE_V1 = 1;
const STATIC_V1 = Buffer.from(RAW_DICTIONARY_V1, "utf8");
const OPTIONS = { level: 6, windowBits: 13, memLevel: 8 } as const;

function dictionary(context: string): Buffer {
  return Buffer.concat([STATIC_V1, Buffer.from(context, "utf8")]);
}

export function encodeRaw(raw: string, context: string): Buffer {
  const text = Buffer.from(raw, "utf8");
  const packed = deflateRawSync(text, { ...OPTIONS, dictionary: dictionary(context) });
  if (packed.length + 1 >= text.length) return Buffer.concat([Buffer.of(PLAIN), text]);
  return Buffer.concat([Buffer.of(DEFLATE_V1), packed]);
}

export function decodeRaw(stored: Uint8Array, context: string): string {
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const version = bytes[0];
  const body = bytes.subarray(1);
  if (version === PLAIN) return body.toString("utf8");
  if (version === DEFLATE_V1)
    return inflateRawSync(body, {
      windowBits: OPTIONS.windowBits,
      dictionary: dictionary(context),
    }).toString("utf8");
  throw new Error(`stored raw JSON has an unknown format (${String(version)})`);
}
