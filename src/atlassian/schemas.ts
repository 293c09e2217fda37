import { z } from "zod";

/**
 * The organizations API at the edge. Lenient by design: only an event's id, time and action are
 * required; any other part of the wrong shape is dropped (the raw JSON keeps it), and unknown
 * fields pass through.
 */

export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** 9999-12-31T23:59:59.999Z: the last time an ISO 8601 date-time of four-digit years says. */
const LAST_MS = 253_402_300_799_999;

/** "2026-11-02T10:11:12.345Z" and "2026-11-02T10:11:12Z" (and offsets) → epoch ms. */
const timestamp = z.union([
  z
    .string()
    .regex(ISO_TIME, { error: "must be an ISO 8601 date-time with a zone" })
    .transform((value, ctx) => {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) ctx.addIssue({ code: "custom", message: "is not a real date-time" });
      return ms;
    }),
  // Epoch ms up to the end of year 9999, as an ISO date-time can say: a larger number is no
  // date (Date holds none past 8.64e15), and would break every message showing it.
  z.number().int().nonnegative().max(LAST_MS, { error: "is not a real date-time" }),
]);

const text = z.string().optional().catch(undefined);

/**
 * An event: only what every event must have is checked here. Everything else (actor, context,
 * container, location, message) is optional, may be of any shape, and is read defensively by
 * the normaliser — validating those parts field by field cost four times as much per event.
 */
export const eventSchema = z.looseObject({
  id: z.string({ error: "id is missing" }).min(1, { error: "id is empty" }),
  attributes: z.looseObject(
    {
      time: timestamp,
      processedAt: timestamp.optional().catch(undefined),
      action: z.string({ error: "action is missing" }).min(1, { error: "action is empty" }),
    },
    { error: "attributes is missing" },
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

/** A readable reason from a zod failure, for the quarantine table and logs. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "event"}: ${issue.message}`)
    .join("; ");
}
