import { z } from "zod";
import { nearest } from "../nearest.js";

/**
 * What to say of keys a strict object refused: the key each was likely meant to be, else the keys
 * there are. The keys come from the schema itself, so a new setting is offered without a word here.
 */

/**
 * The schema under its default or optional, the input schema of a transform, and the schema a
 * preprocess hands its value to.
 */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) {
    return unwrap(schema.unwrap());
  }
  if (schema instanceof z.ZodPipe)
    return unwrap(schema.in instanceof z.ZodTransform ? schema.out : schema.in);
  return schema;
}

/** The keys of the object schema at `path` inside `schema` (undefined: not an object there). */
export function keysAt(
  schema: z.core.$ZodType,
  path: readonly PropertyKey[],
): string[] | undefined {
  const inner = unwrap(schema);
  const [step, ...rest] = path;
  if (step === undefined)
    return inner instanceof z.ZodObject ? Object.keys(inner.shape) : undefined;
  let next: z.core.$ZodType | undefined;
  if (inner instanceof z.ZodObject) next = inner.shape[String(step)];
  else if (inner instanceof z.ZodRecord) next = inner.valueType;
  else if (inner instanceof z.ZodArray) next = inner.element;
  return next && keysAt(next, rest);
}

/**
 * `unknown key "star": did you mean start?`; keys with no near one share one list of the keys.
 * `elsewhere`: keys valid only under another setting, and which (`windowHours`: "mode: group").
 */
export function unknownKeysMessage(
  keys: readonly string[],
  known: readonly string[],
  elsewhere: Readonly<Record<string, string>> = {},
): string {
  const said = keys.map((key) => {
    const guess = nearest(key, known);
    if (guess) return `unknown key "${key}": did you mean ${guess}?`;
    const other = nearest(key, Object.keys(elsewhere));
    return other ? `unknown key "${key}": ${other} applies with ${elsewhere[other]}` : undefined;
  });
  const far = keys.filter((_, i) => said[i] === undefined).map((key) => `"${key}"`);
  const rest =
    far.length === 0
      ? []
      : [
          `unknown key${far.length > 1 ? "s" : ""} ${far.join(", ")}: the keys are ${known.join(", ")}`,
        ];
  return [...said.filter((s) => s !== undefined), ...rest].join("; ");
}
