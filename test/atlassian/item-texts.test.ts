import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dataItemTexts } from "../../src/atlassian/item-texts.js";

describe("dataItemTexts", () => {
  it("returns each element of data as sent, whatever the spacing and escapes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue()),
        fc.jsonValue(),
        fc.constantFrom(undefined, 1, 2, "\t"),
        (data, meta, space) => {
          const text = JSON.stringify({ meta, data, links: { next: "x" } }, null, space);
          const texts = dataItemTexts(text);
          expect(texts?.map((item) => JSON.parse(item))).toEqual(
            JSON.parse(text).data as unknown[],
          );
        },
      ),
    );
  });

  it("keeps the text byte for byte", () => {
    const text = '{"data":[ {"id":"a\\"b","n":[1,{"x":"]}"}]} ,"c\\\\"],"meta":{}}';
    expect(dataItemTexts(text)).toEqual(['{"id":"a\\"b","n":[1,{"x":"]}"}]}', '"c\\\\"']);
  });

  it("follows JSON.parse on a repeated key and leaves escaped keys to the caller", () => {
    expect(dataItemTexts('{"data":[1],"data":[2,3]}')).toEqual(["2", "3"]);
    expect(dataItemTexts('{"d\\u0061ta":[1]}')).toBeUndefined();
  });

  it("says undefined when there is no data list", () => {
    expect(dataItemTexts("{}")).toBeUndefined();
    expect(dataItemTexts('{"data":{"a":1}}')).toBeUndefined();
    expect(dataItemTexts("[1,2]")).toBeUndefined();
    expect(dataItemTexts('{"meta":{}}')).toBeUndefined();
    expect(dataItemTexts('{"data":[]}')).toEqual([]);
  });
});
