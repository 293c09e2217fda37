import { describe, expect, it } from "vitest";
import { idNamed } from "../src/organizations.js";

describe("the organization id a command names", () => {
  it("is the one stored in any case, in its stored spelling", () => {
    expect(idNamed(["org-1", "org-2"], " ORG-2 ")).toBe("org-2");
    expect(idNamed(["org-1"], "org-3")).toBeUndefined();
  });

  it("is the one spelled as given when two stored spellings name it, else none of them", () => {
    const stored = ["ORG-1", "org-1"];
    expect(idNamed(stored, "org-1")).toBe("org-1");
    expect(idNamed(stored, "ORG-1")).toBe("ORG-1");
    expect(idNamed(stored, "Org-1")).toBeUndefined();
  });
});
