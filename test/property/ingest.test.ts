/**
 * Bad input at the ingest edge: any stream item becomes either a normalized event that keeps the
 * domain's invariants or a quarantine reason, and both kinds store in one transaction.
 */
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { normalize, reclassify } from "../../src/ingest/normalize.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { QuarantineStore } from "../../src/store/quarantine.js";
import { tempDir } from "../helpers/tmp.js";
import { mutate, pathsOf } from "./json-paths.js";

const catalog = buildCatalog(
  [
    { action: "rovo_mcp_tool_called", displayName: "Tool invoked", groupName: "Rovo MCP" },
    { action: "user_login", displayName: "User logged in", groupName: "Security" },
  ],
  ["configured_mcp_key"],
);
const context = { orgId: "org-1", catalog, backfillUntil: Date.UTC(2026, 10, 1) };

/** Valid events in the shapes the audit log sends, to mutate. */
const TEMPLATES: readonly unknown[] = [
  {
    id: "ev-1",
    type: "events",
    attributes: {
      time: "2026-11-02T10:11:12.345Z",
      processedAt: "2026-11-02T10:11:13Z",
      action: "rovo_mcp_tool_called",
      actor: {
        id: "acc-1",
        name: "Alice",
        email: "Alice@Example.com",
        auth: { authType: "auth-token-for-3LO", tokenLabel: "laptop" },
        app: { attributes: { name: "Claude" } },
        onBehalfOf: { id: "acc-2", name: "Bob", email: "bob@example.com" },
      },
      context: [
        { id: "t-1", type: "mcp-tool", attributes: { name: "createJiraIssue" } },
        { id: "OPS-1", type: "jira-issue", attributes: { issueKey: "OPS-1" } },
      ],
      container: [{ id: "s-1", type: "sites", attributes: { siteHostName: "https://acme.net/" } }],
      location: { ip: "203.0.113.7", countryName: "Germany", city: "Berlin" },
    },
    message: { content: "Called createJiraIssue through the Rovo MCP server" },
  },
  {
    id: "ev-2",
    attributes: {
      time: 1_793_000_000_000,
      action: "some_mcp_thing",
      actor: { id: "acc-3", auth: { authType: "api-token" } },
      context: [{ type: "confluence-page", attributes: { title: "Q3", pageId: "77" } }],
    },
    message: { content: "deleteConfluencePage via mcp" },
  },
  { id: "ev-3", attributes: { time: "2026-11-02T10:11:12+01:00", action: "user_login" } },
];

const TOOL_CLASSES = ["read", "search", "write", "destructive"];
const BASES = ["catalog", "config", "guessed"];
const AUTH_KINDS = ["oauth", "api-token", "unknown"];
const TEXT_FIELDS = [
  "actorId",
  "actorName",
  "actorEmail",
  "authType",
  "tokenLabel",
  "onBehalfOfId",
  "onBehalfOfName",
  "onBehalfOfEmail",
  "userId",
  "userName",
  "userEmail",
  "ip",
  "country",
  "city",
  "siteHost",
  "product",
  "clientApp",
  "tool",
  "resource",
  "message",
] as const satisfies readonly (keyof NormalizedEvent)[];

/** Strings that have broken parsers before: odd unicode, markup, prototype keys, huge text. */
const oddString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "\u202e",
    "e\u0301",
    "👩‍👩‍👧",
    "__proto__",
    "constructor",
    "toString",
    "https://",
    "http:///",
    "2026-02-30T10:00:00Z",
    "2026-11-02T25:61:00Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999+23:59",
    "mcp",
    "createJiraIssue",
  ),
  fc.nat({ max: 200_000 }).map((n) => "x".repeat(n)),
);

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: "small" },
  oddString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 2 ** 53, -0, 1e308, [], {}),
);

const mutation = fc.record({
  at: fc.nat(),
  change: fc.oneof(
    fc.constant<{ remove: true }>({ remove: true }),
    garbage.map((value) => ({ with: value })),
  ),
});

/** A valid event with one to four of its parts removed or replaced by garbage. */
const mutatedEvent = fc
  .tuple(fc.constantFrom(...TEMPLATES), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([template, changes]) =>
    changes.reduce<unknown>((event, { at, change }) => {
      const paths = pathsOf(event);
      const path = paths[at % Math.max(1, paths.length)];
      return path ? mutate(event, path, change) : event;
    }, template),
  );

/** Extra fields of any shape beside a valid event's. */
const paddedEvent = fc
  .tuple(fc.constantFrom(...TEMPLATES), fc.dictionary(oddString, garbage, { maxKeys: 4 }))
  .map(([template, extra]) => {
    const event = structuredClone(template) as { attributes: Record<string, unknown> };
    for (const [key, value] of Object.entries(extra)) {
      Object.defineProperty(event.attributes, key, { value, enumerable: true, writable: true });
    }
    return event;
  });

/** What the stream could put in `data[]`, as JSON.parse would have made it. */
const streamItem = fc
  .oneof(garbage, mutatedEvent, paddedEvent)
  .map((item) => (item === undefined ? item : (JSON.parse(JSON.stringify(item)) as unknown)));

function checkEvent(raw: unknown, event: NormalizedEvent): void {
  const source = raw as { id: unknown; attributes: { action: unknown } };
  expect(event.orgId).toBe("org-1");
  expect(event.id).toBe(source.id);
  expect(event.id.length).toBeGreaterThan(0);
  expect(event.action).toBe(source.attributes.action);
  expect(event.action.length).toBeGreaterThan(0);
  expect(Number.isSafeInteger(event.time)).toBe(true);
  if (event.processedAt !== null) expect(Number.isSafeInteger(event.processedAt)).toBe(true);
  expect(typeof event.isMcp).toBe("boolean");
  expect(typeof event.backfilled).toBe("boolean");
  expect(event.isMcp).toBe(event.mcpBasis !== null);
  if (event.mcpBasis !== null) expect(BASES).toContain(event.mcpBasis);
  expect(AUTH_KINDS).toContain(event.authKind);
  if (!event.isMcp) expect(event.tool).toBeNull();
  if (event.tool === null) expect(event.toolClass).toBeNull();
  if (event.toolClass !== null) expect(TOOL_CLASSES).toContain(event.toolClass);
  for (const field of TEXT_FIELDS) {
    const value = event[field];
    if (value !== null) {
      expect(typeof value, field).toBe("string");
      expect(value.trim(), `${field} is blank`).not.toBe("");
    }
  }
  expect(JSON.parse(event.raw)).toEqual(raw);
  // The stored raw JSON is enough to compute the same columns again.
  expect(reclassify(event, catalog)).toEqual(event);
}

describe("stream items of any shape", () => {
  it("become an event that keeps the invariants, or a quarantine reason; never a throw", () => {
    fc.assert(
      fc.property(streamItem, (raw) => {
        const result = normalize(raw, context);
        if (result.ok) {
          checkEvent(raw, result.event);
        } else {
          expect(result.error.trim()).not.toBe("");
          expect(result.error).not.toMatch(/\n\s+at /);
          const id = (raw as { id?: unknown } | null)?.id;
          expect(result.id).toBe(typeof id === "string" ? id : null);
        }
      }),
      {
        numRuns: 400,
        examples: [
          // A site item whose host is only a scheme once gave a blank site column.
          [
            {
              id: "ev-site",
              attributes: {
                time: "2026-11-02T10:11:12Z",
                action: "rovo_mcp_tool_called",
                container: [{ type: "sites", attributes: { siteHostName: "https://" } }],
                context: [{ type: "site", attributes: { hostName: "http:///" } }],
              },
            },
          ],
        ],
      },
    );
  });

  it("quarantines any value that is not an object with an id, a time and an action", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), (raw) => {
        const attributes = (raw as { attributes?: Record<string, unknown> } | null)?.attributes;
        fc.pre(typeof attributes?.action !== "string" || typeof attributes.time === "undefined");
        const result = normalize(raw, context);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toMatch(/^(event|id|attributes)[.:]/);
      }),
      { numRuns: 200 },
    );
  });

  it("stores a page of them, events and quarantined items, in one transaction", () => {
    const db = openStore(join(tempDir(), "ingest.db"));
    try {
      const events = new EventStore(db);
      const quarantine = new QuarantineStore(db);
      let page = 0;
      fc.assert(
        fc.property(fc.array(streamItem, { maxLength: 8 }), (items) => {
          page++;
          const good: NormalizedEvent[] = [];
          const bad: { eventId: string | null; error: string; raw: string }[] = [];
          for (const item of items) {
            const result = normalize(item, { ...context, orgId: `org-${page}` });
            if (result.ok) good.push(result.event);
            else bad.push({ eventId: result.id, error: result.error, raw: JSON.stringify(item) });
          }
          const added = db.transaction(() => {
            const count = events.insertMany(good, 1);
            quarantine.add(`org-${page}`, bad, 1);
            return count;
          })();
          const distinctIds = new Set(good.map((e) => e.id)).size;
          expect(added).toBe(distinctIds);
          expect(events.counts(`org-${page}`).events).toBe(distinctIds);
          expect(quarantine.countFor(`org-${page}`)).toBe(new Set(bad.map((b) => b.raw)).size);
        }),
        { numRuns: 60 },
      );
    } finally {
      db.close();
    }
  });
});
