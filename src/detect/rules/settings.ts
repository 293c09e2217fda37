import { z } from "zod";

/** Shared pieces of rule settings schemas. */
export const positiveInt = z
  .number({ error: "expected a positive integer" })
  .int({ error: "expected a positive integer" })
  .positive({ error: "expected a positive integer" });

/** For rules whose only settings are `enabled` and `severity`. */
export const noSettings = z.strictObject({});
