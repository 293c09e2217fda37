import { describe, expect, it } from "vitest";
import {
  directMessageOf,
  isGivenUpNamed,
  isNamed,
  readRowRef,
  rowRef,
} from "../../src/slack/blocks/row-ref.js";

describe("a button's value naming a stored row", () => {
  it("reads back the id and stamp it was drawn with", () => {
    const value = rowRef(12, 1_764_892_800_000);
    expect(value).toBe("12.1764892800000");
    expect(readRowRef(value)).toEqual({ id: 12, stamp: 1_764_892_800_000 });
  });

  it("takes a bare id (an earlier release's) as naming a row only in that row's own message", () => {
    const ref = readRowRef("12");
    expect(ref).toEqual({ id: 12, stamp: undefined });
    const own = { channel: "C1", ts: "1.000100" };
    const row = { stamp: 42, message: () => own };
    expect(ref && isNamed(ref, row, own)).toBe(true);
    // The message of another row given id 12 before a restore; the App Home or an ephemeral reply.
    expect(ref && isNamed(ref, row, { channel: "C1", ts: "1.000200" })).toBe(false);
    expect(ref && isNamed(ref, row, { channel: "C2", ts: "1.000100" })).toBe(false);
    expect(ref && isNamed(ref, row, undefined)).toBe(false);
    // A row whose message is not posted (or no longer known) is named by no bare id.
    expect(ref && isNamed(ref, { stamp: 42, message: () => undefined }, own)).toBe(false);
  });

  it("tells the row drawn from another given the same id, wherever it is clicked", () => {
    const ref = readRowRef(rowRef(12, 1000));
    const own = { channel: "C1", ts: "1.000100" };
    // The row's message is not looked up for a stamped value.
    const unread = () => {
      throw new Error("the row's message was looked up");
    };
    expect(ref && isNamed(ref, { stamp: 1000, message: unread }, undefined)).toBe(true);
    expect(ref && isNamed(ref, { stamp: 2000, message: unread }, own)).toBe(false);
  });

  it("takes a bare id for a given-up row only in a direct message of its person, made before stamps", () => {
    const bare = { id: 12, stamp: undefined };
    const row = { asked: "UALICE", createdAt: 1_700_000_000_000 };
    const stamped = 1_700_000_500_000;
    const dm = { user: "UALICE", message: { channel: "D1", ts: "1700000001.000100" } };
    expect(isGivenUpNamed(bare, row, stamped, dm)).toBe(true);
    // Made since the database was first run by a release that stamps: never drawn a bare id.
    expect(isGivenUpNamed(bare, row, row.createdAt, dm)).toBe(false);
    expect(isGivenUpNamed(bare, row, stamped, { ...dm, user: "UBOB" })).toBe(false);
    const channel = { ...dm, message: { channel: "C1", ts: "1700000001.000100" } };
    expect(isGivenUpNamed(bare, row, stamped, channel)).toBe(false);
    expect(isGivenUpNamed(bare, row, stamped, { ...dm, message: undefined })).toBe(false);
    expect(isGivenUpNamed(bare, undefined, stamped, dm)).toBe(false); // not given up
    // A stamped value is checked by its stamp alone (isNamed).
    expect(isGivenUpNamed({ id: 12, stamp: row.createdAt }, row, stamped, dm)).toBe(false);
  });

  it("takes a bare id for a given-up row only in a message posted after the row was made", () => {
    const bare = { id: 12, stamp: undefined };
    const row = { asked: "UALICE", createdAt: 1_700_000_000_000 };
    const stamped = 1_700_000_500_000;
    const at = (ts: string) => ({ user: "UALICE", message: { channel: "D1", ts } });
    // Slack's clock a little behind this host's: still its message.
    expect(isGivenUpNamed(bare, row, stamped, at("1699999940.000000"))).toBe(true);
    // Posted before the row was made: another row's message, which had the id before a restore.
    expect(isGivenUpNamed(bare, row, stamped, at("1699999939.999999"))).toBe(false);
    expect(isGivenUpNamed(bare, row, stamped, at("1696400000.000001"))).toBe(false);
    expect(isGivenUpNamed(bare, row, stamped, at("not-a-ts"))).toBe(false);
  });

  it("knows a direct message's place only once both its channel and ts are stored", () => {
    expect(directMessageOf({ dmChannel: "D1", dmTs: "1.5" })).toEqual({ channel: "D1", ts: "1.5" });
    expect(directMessageOf({ dmChannel: "D1", dmTs: null })).toBeUndefined();
    expect(directMessageOf(undefined)).toBeUndefined();
  });

  it("refuses what no button of the app carries", () => {
    for (const forged of ["", "12.", ".5", "12.5.6", "1e3", "-1", "12:4", "1234567890123", "12.x"])
      expect(readRowRef(forged), forged).toBeUndefined();
    expect(readRowRef(undefined)).toBeUndefined();
  });
});
