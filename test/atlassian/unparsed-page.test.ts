import { describe, expect, it } from "vitest";
import { lastItem, splitPage, UnreadableItem } from "../../src/atlassian/unparsed-page.js";

const good = '{"id":"a","attributes":{"time":"2026-11-02T12:00:00Z","action":"x"}}';
const broken = '{"id":"b","attributes":{"action":"y"},"message":"PO\u0001ISON"}';

describe("splitPage", () => {
  it("reads each item alone: those that parse as themselves, the others kept as received", () => {
    const text = `{"data":[${good}, ${broken}],"meta":{"next":"c1"},"links":{"next":"?cursor=c1"}}`;
    expect(() => JSON.parse(text)).toThrow();
    const page = splitPage(text);
    expect(page?.data[0]).toEqual(JSON.parse(good));
    const item = page?.data[1];
    expect(item).toBeInstanceOf(UnreadableItem);
    expect(item).toMatchObject({ id: "b", text: broken });
    expect((item as UnreadableItem).error).toMatch(/^does not parse as JSON \(Bad control/);
    expect(page).toMatchObject({ meta: { next: "c1" }, links: { next: "?cursor=c1" } });
  });

  it("tells apart items a stray quote in each of two runs together, the good one between read", () => {
    const item = (id: string, content: string) =>
      `{"id":"${id}", "type":"events","attributes":{"actor":{"id":"u1","type":"events"}},"message":"${content}"}`;
    const a = item("a", 'he said "hi');
    const b = item("b", "fine");
    const c = item("c", '" ok');
    const page = splitPage(`{"data":[${a}, ${b},${c}],"meta":{"next":"c1"}}`);
    expect(page?.data).toHaveLength(3);
    expect(page?.data[0]).toMatchObject({ id: "a", text: a });
    expect(page?.data[1]).toEqual(JSON.parse(b));
    expect(page?.data[2]).toMatchObject({ id: "c", text: c });
    expect(page?.meta).toEqual({ next: "c1" });
  });

  it("keeps links when meta does not parse", () => {
    const text = `{"data":[],"meta":{"next":"c\u0001"},"links":{"next":"?cursor=c2"}}`;
    expect(splitPage(text)).toEqual({ data: [], meta: undefined, links: { next: "?cursor=c2" } });
  });

  it("says undefined of a text that is no whole page", () => {
    const whole = `{"data":[${good},${broken}],"meta":{}}`;
    expect(splitPage(whole.slice(0, 40))).toBeUndefined();
    expect(splitPage(whole.slice(0, -1))).toBeUndefined();
    expect(splitPage(`${whole}x`)).toBeUndefined();
    expect(splitPage(`{"d\\u0061ta":[${broken}]}`)).toBeUndefined();
    expect(splitPage(`{"data":{"a":"\u0001"}}`)).toBeUndefined();
  });
});

describe("lastItem", () => {
  it("reads the item an answer was cut in: its id and processing time, as far as they came", () => {
    const cut = `{"data":[${good},{"id":"huge","attributes":{"time":"2026-11-02T12:00:00Z","processedAt":"2026-11-02T12:00:05.123Z","action":"x"},"message":{"content":"xxxx`;
    expect(lastItem(cut)).toEqual({
      id: "huge",
      at: Date.parse("2026-11-02T12:00:05.123Z"),
      text: cut.slice(cut.indexOf('{"id":"huge"')),
    });
  });

  it("takes no time when no processing time came whole (not when it happened)", () => {
    expect(lastItem(`{"data":[${good.slice(0, -1)},"x":"y`)?.at).toBeUndefined();
    expect(lastItem('{"data":[{"id":"c","attributes":{"time":"2026-11-02T12:')).toEqual({
      id: "c",
      at: undefined,
      text: '{"id":"c","attributes":{"time":"2026-11-02T12:',
    });
    expect(lastItem('{"data":[]}')).toBeUndefined();
    expect(lastItem('{"meta":{}, "data":')).toBeUndefined();
  });
});
