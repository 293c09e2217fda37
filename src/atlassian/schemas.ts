import { z } from "zod";
import { kindOf, record } from "../domain/audit-fields.js";
import { readTime } from "./time-value.js";

/**
 * The organizations API at the edge. Lenient by design: an event needs an id, a time and an
 * action; a processedAt it has must be a time (it decides what is history), and the normaliser
 * refuses a context or container it cannot read as items. Any other part of the wrong shape is
 * dropped (the raw JSON keeps it), and unknown fields pass through.
 */

/** A time as epoch ms, or the item refused with what is wrong with it. */
function epochMs(value: unknown, ctx: z.RefinementCtx): number {
  const reading = readTime(value);
  if ("ms" in reading) return reading.ms;
  ctx.addIssue({ code: "custom", message: reading.problem });
  return z.NEVER;
}

/** `time`: an ISO 8601 date-time with a zone, or epoch ms of this century. */
const timestamp = z.unknown().transform(epochMs);

/** `processedAt`: absent or null is none; present, it is read as `time` is, or the item refused. */
const processedAt = z
  .unknown()
  .transform((value, ctx) => (value === null ? undefined : epochMs(value, ctx)))
  .optional();

/** A required field's reason: missing, or of which other kind it is. */
const required = (expected: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined ? "is missing" : `must be ${expected}, got ${kindOf(issue.input)}`,
});

const text = z.string().optional().catch(undefined);

/**
 * An event: only what every event must have is checked here. Everything else (actor, context,
 * container, location, message) is optional, may be of any shape, and is read defensively by
 * the normaliser — validating those parts field by field cost four times as much per event.
 */
export const eventSchema = z.looseObject({
  id: z.string(required("a string")).min(1, { error: "is empty" }),
  attributes: z.looseObject(
    {
      time: timestamp,
      processedAt,
      action: z.string(required("a string")).min(1, { error: "is empty" }),
    },
    required("an object"),
  ),
});

export type AtlassianEvent = z.infer<typeof eventSchema>;

/** `meta.next` (a cursor) or `links.next` (a URL carrying one). */
const next = z.looseObject({ next: text }).optional().catch(undefined);

export const streamPageSchema = z.looseObject({
  data: z.array(z.unknown(), { error: "data is not a list of events" }),
  meta: next,
  links: next,
});

export const listSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      type: text,
      attributes: z
        .looseObject({ name: text, displayName: text, groupDisplayName: text })
        .optional()
        .catch(undefined),
    }),
  ),
  links: next,
  meta: next,
});

export const errorBodySchema = z.looseObject({
  errors: z.array(z.looseObject({ status: text, code: text, title: text, detail: text })),
});

/**
 * A readable reason from a zod failure, for the quarantine table and logs. A field missing names
 * the keys beside it that contain its name: what a rename by Atlassian looks like.
 */
export function describeIssues(error: z.ZodError, input?: unknown): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join(".") : "event";
      return `${where}: ${issue.message}${issue.message === "is missing" ? renamed(input, issue.path) : ""}`;
    })
    .join("; ");
}

function renamed(input: unknown, path: readonly PropertyKey[]): string {
  const name = path.at(-1);
  let parent = input;
  for (const key of path.slice(0, -1)) parent = record(parent)?.[String(key)];
  const fields = record(parent);
  if (typeof name !== "string" || !fields) return "";
  const like = Object.keys(fields).filter((key) => key.toLowerCase().includes(name.toLowerCase()));
  return like.length > 0
    ? ` (beside it: ${like
        .slice(0, 3)
        .map((key) => key.slice(0, 40))
        .join(", ")})`
    : "";
}
