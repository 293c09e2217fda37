/**
 * The rare parts of the realistic profile's ordinary traffic that Detection v2 is about: calls to
 * the Rovo MCP server v2's wrappers and new tools, API tokens created with an AI tool's name, and
 * two-step verification turned off. Each is drawn from its own random stream (seeded from the
 * event's), so the ordinary draws of every event stay what they were.
 */

import { NOISE_ACTIONS, PRECURSOR_ACTIONS } from "./catalog.js";
import {
  type Draft,
  type GenContext,
  message,
  orgItem,
  personActor,
  personLocation,
  pickAdmin,
  pickPerson,
} from "./common.js";
import type { CallChoice } from "./mcp-call.js";
import { hashInts, Rng, uuidFrom } from "./prng.js";
import { V2_TOOLS } from "./tools.js";

/** The share of a person's ordinary calls that go to a v2 wrapper or new tool. */
const V2_CALL_SHARE = 0.002;
/** API tokens named for an AI tool, and two-step verification turned off, per working day. */
const AI_TOKENS_PER_DAY = 0.1;
const TWO_STEP_OFF_PER_DAY = 0.05;
const AI_LABELS = [
  "claude-desktop",
  "cursor-mcp",
  "copilot-agent",
  "chatgpt-connector",
  "gemini-cli",
  "windsurf",
  "mcp-agent",
];
const V2_WEIGHTS = V2_TOOLS.map((t) => [t, t.weight] as const);

/** The random stream of event `index`'s rare draws. */
export function rareStream(seed: number, index: number): Rng {
  return new Rng(hashInts(seed, index, 0x2f2));
}

/** What a person's ordinary call becomes: mostly nothing new, now and then a v2 tool. */
export function v2Choice(rare: Rng): Pick<CallChoice, "toolClass" | "tool"> {
  if (!rare.chance(V2_CALL_SHARE)) return {};
  const spec = rare.weighted(V2_WEIGHTS);
  return { toolClass: spec.toolClass, tool: spec.name };
}

/**
 * A rare identity event in place of ordinary noise, or undefined; `perEvent` turns a rate per
 * working day into a chance for this event (the share of a day's activity it stands for).
 */
export function rareIdentityEvent(
  ctx: GenContext,
  index: number,
  rare: Rng,
  perEvent: number,
): Draft | undefined {
  const roll = rare.next();
  if (roll < AI_TOKENS_PER_DAY * perEvent) return aiTokenCreated(ctx, index, rare);
  if (roll < (AI_TOKENS_PER_DAY + TWO_STEP_OFF_PER_DAY) * perEvent)
    return twoStepDisabled(ctx, rare);
  return undefined;
}

/** Someone who uses AI tools creates an API token named for one. */
function aiTokenCreated(ctx: GenContext, index: number, rare: Rng): Draft {
  const users = ctx.mcpUsersAt(index);
  const person = pickPerson(users.length > 0 ? users : ctx.roster.people, rare);
  const label = rare.pick(AI_LABELS);
  return {
    action: NOISE_ACTIONS.apiTokenCreated,
    actor: personActor(person),
    context: [{ id: uuidFrom(rare.int(0x7fffffff)), type: "api-token", attributes: { label } }],
    container: [],
    location: personLocation(person, rare),
    message: message(`${person.name} created API token “${label}”`),
  };
}

/** An admin turns two-step verification off for someone. */
function twoStepDisabled(ctx: GenContext, rare: Rng): Draft {
  const admin = pickAdmin(ctx.roster, rare);
  const subject = pickPerson(ctx.roster.people, rare);
  return {
    action: PRECURSOR_ACTIONS.twoStepDisabled,
    actor: personActor(admin),
    context: [
      {
        id: subject.id,
        type: "users",
        attributes: { name: subject.name, email: subject.email },
      },
    ],
    container: [orgItem(ctx)],
    location: personLocation(admin, rare),
    message: message(`${admin.name} disabled two-step verification for ${subject.name}`),
  };
}
