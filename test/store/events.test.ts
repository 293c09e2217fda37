import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/db.js";
import { eventKey } from "../../src/store/event-key.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { mcpEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

function store(): { db: Db; events: EventStore; insert: (...ids: string[]) => number } {
  const db = openStore(join(tempDir(), "events.db"));
  const events = new EventStore(db);
  const insert = (...ids: string[]) =>
    db.transaction(() =>
      events.insertMany(
        ids.map((id) => {
          const [orgId = "", eventId = ""] = id.split("/");
          return mcpEvent({ orgId, id: eventId, raw: JSON.stringify({ id: eventId }) });
        }),
        1,
      ),
    )();
  return { db, events, insert };
}

const ids = (db: Db) =>
  db
    .prepare<[], { org_id: string; id: string }>("SELECT org_id, id FROM events ORDER BY seq")
    .all()
    .map((row) => `${row.org_id}/${row.id}`);

describe("EventStore.insertMany", () => {
  it("stores an id once, whether it comes again in the same call or a later one", () => {
    const { db, insert } = store();
    expect(insert("org-1/a", "org-1/b", "org-1/a")).toBe(2);
    expect(insert("org-1/b", "org-1/c")).toBe(1);
    expect(insert("org-2/a")).toBe(1); // the same id in another organization is another event
    expect(ids(db)).toEqual(["org-1/a", "org-1/b", "org-1/c", "org-2/a"]);
    db.close();
  });

  it("keys each event by its organization and id", () => {
    const { db, insert } = store();
    insert("org-1/a");
    const row = db.prepare("SELECT id_key AS key FROM events").get() as { key: number };
    expect(row.key).toBe(eventKey("org-1", "a"));
    expect(eventKey("org-1", "a")).not.toBe(eventKey("org-2", "a"));
    expect(Number.isSafeInteger(row.key)).toBe(true);
    db.close();
  });

  it("stores both of two different events whose keys collide, and each only once", () => {
    const { db, insert } = store();
    // An event stored under the key that "b" will have: what a SHA-1 prefix collision looks like.
    insert("org-1/other");
    db.prepare("UPDATE event_rows SET id_key = ?").run(eventKey("org-1", "b"));
    expect(insert("org-1/b")).toBe(1);
    expect(insert("org-1/b")).toBe(0);
    expect(ids(db)).toEqual(["org-1/other", "org-1/b"]);
    db.close();
  });
});

describe("the people of MCP events", () => {
  it("lists each person's e-mail and name as seen, for MCP events only, also after reclassify", () => {
    const { db, events } = store();
    const people = () =>
      db.prepare("SELECT user_id AS id, user_email AS email, user_name AS name FROM people").all();
    db.transaction(() =>
      events.insertMany(
        [
          mcpEvent({ id: "1", userId: "acc-1", userEmail: "a@example.com", userName: "Ann" }),
          mcpEvent({ id: "2", userId: "acc-1", userEmail: "a@example.com", userName: "Ann" }),
          mcpEvent({ id: "3", userId: "acc-1", userEmail: "a@example.com", userName: "Ann B." }),
          mcpEvent({ id: "4", userId: null, userEmail: "x@example.com" }),
          mcpEvent({ id: "5", userId: "acc-2", userEmail: null, userName: "Bo", isMcp: false }),
        ],
        1,
      ),
    )();
    expect(people()).toEqual([
      { id: "acc-1", email: "a@example.com", name: "Ann" },
      { id: "acc-1", email: "a@example.com", name: "Ann B." },
    ]);
    // Event 5 found to be MCP after all: its person is listed too.
    db.transaction(() =>
      events.updateClassification([
        mcpEvent({ id: "5", userId: "acc-2", userEmail: null, userName: "Bo" }),
      ]),
    )();
    expect(people()).toContainEqual({ id: "acc-2", email: "", name: "Bo" });
    db.close();
  });
});
