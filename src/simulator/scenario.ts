/**
 * A short scripted scenario, played over the first two minutes of the demo so a newcomer sees
 * each kind of alert without waiting: a first use, a destructive call, calls with an API token
 * (through a v2 wrapper, and a tool new to the organization), a canary read, the identity
 * precursors, a burst. Its alerts are about other people than the one at the console, who can
 * handle them all.
 */

import type { AuditActor, AuditEvent, AuditItem } from "./audit-json.js";
import { NOISE_ACTIONS, PRECURSOR_ACTIONS } from "./catalog.js";
import { message, personActor, siteItem, userLinks } from "./common.js";
import type { SyntheticOrg } from "./org.js";
import type { Person } from "./people.js";
import { COUNTRIES, locationIn } from "./places.js";
import { at, hashString, Rng, uuidFrom } from "./prng.js";
import { canaryIssue } from "./resources.js";

export interface ScriptedEvent {
  /** When it is processed. */
  readonly at: number;
  readonly event: AuditEvent;
  /** What it shows, for people reading the demo. */
  readonly shows: string;
}

interface Step {
  readonly after: number;
  readonly shows: string;
  readonly action: string;
  readonly actor: AuditActor;
  readonly context: AuditItem[];
  readonly person: Person;
  readonly text?: string;
}

const SECOND = 1_000;
const BURST_CALLS = 60;

/**
 * The demo's rules file: the defaults, and one canary — the issue the scenario's canary read
 * opens (the realistic simulator's seeded canary read opens it too).
 */
export function scenarioRulesYaml(org: SyntheticOrg): string {
  const issueKey = canaryIssue(at(org.roster.sites, 0)).label;
  return [
    "# The demo's rules: the defaults, and one canary (an issue nobody has a reason to open).",
    "watch:",
    `  - { issue: ${issueKey}, canary: true }`,
    "",
  ].join("\n");
}

/** The person at the console: the busiest admin who uses AI tools, so `user:me` has answers. */
export function consolePerson(org: SyntheticOrg): Person | undefined {
  return [...org.roster.people]
    .filter((p) => p.mcpSince !== null)
    .sort((a, b) => Number(b.admin) - Number(a.admin) || b.weight - a.weight)[0];
}

/** The first of the scenario's events is processed this long after it starts. */
const FIRST_DELAY_MS = 15 * SECOND;

/** The scenario's events, the first processed FIRST_DELAY_MS after `start`. */
export function scriptedScenario(org: SyntheticOrg, start: number): ScriptedEvent[] {
  // Nobody can handle an alert about themselves: the person at the console acts in none.
  const me = consolePerson(org);
  const people = org.roster.people.filter((p) => p !== me);
  const users = people.filter((p) => p.mcpSince !== null && !p.admin);
  const regular = users[0] ?? at(people, 0);
  const other = users[1] ?? regular;
  const newcomer = people.find((p) => p.mcpSince === null && !p.admin) ?? regular;
  const adminPerson = people.find((p) => p.admin) ?? regular;
  const site = at(org.roster.sites, 0);
  const app = at(org.roster.apps, 0);
  const oauth = (person: Person): AuditActor => ({
    ...personActor(person),
    auth: {
      authType: "auth-token-for-3LO",
      tokenId: uuidFrom(hashString(`scenario:${person.id}`)),
    },
    app: { id: app.id, type: "oauth-app", attributes: { name: app.name } },
  });
  const agent: AuditActor = {
    id: `712020:${uuidFrom(hashString("scenario:svc-agent"))}`,
    name: "svc-release-agent",
    email: "svc-release-agent@serviceaccount.atlassian.com",
    auth: {
      authType: "api-token",
      tokenId: uuidFrom(hashString("scenario:token")),
      tokenLabel: "claude-release-agent",
    },
    links: userLinks("svc-release-agent"),
  };
  const tool = (name: string, attributes: Record<string, unknown> = {}): AuditItem => ({
    id: name,
    type: "mcp-tool",
    attributes: { name, ...attributes },
  });
  const issue = (key: string): AuditItem => ({
    id: key,
    type: "jira-issue",
    attributes: { issueKey: key },
  });
  const user = (p: Person): AuditItem => ({
    id: p.id,
    type: "users",
    attributes: { name: p.name, email: p.email },
  });
  const mcp = org.mcpActionKey;
  const steps: Step[] = [
    {
      after: 0,
      shows: "a first use",
      action: mcp,
      actor: oauth(newcomer),
      person: newcomer,
      context: [tool("getJiraIssue"), issue("OPS-7")],
    },
    {
      after: 10,
      shows: "a destructive call",
      action: mcp,
      actor: oauth(regular),
      person: regular,
      context: [tool("deleteJiraIssue"), issue("OPS-12")],
    },
    {
      after: 20,
      shows: "an API-token call through a v2 wrapper, a tool new here",
      action: mcp,
      actor: agent,
      person: regular,
      context: [tool("executeWrite", { operation: "createJiraIssueLink" }), issue("OPS-3")],
    },
    {
      after: 30,
      shows: "a destructive call hidden behind a token label, read from the message",
      action: mcp,
      actor: agent,
      person: regular,
      context: [],
      text: `Rovo MCP server: API token getConfluencePage called deleteConfluencePage on ${site.siteHostName}`,
    },
    {
      after: 35,
      shows: "an AI tool reading a canary",
      action: mcp,
      actor: oauth(other),
      person: other,
      context: [tool("getJiraIssue"), canaryIssue(site).item],
    },
    {
      after: 40,
      shows: "an API token created for an AI tool",
      action: NOISE_ACTIONS.apiTokenCreated,
      actor: personActor(other),
      person: other,
      context: [
        {
          id: uuidFrom(hashString("scenario:cursor")),
          type: "api-token",
          attributes: { label: "cursor-mcp" },
        },
      ],
    },
    {
      after: 45,
      shows: "two-step verification disabled",
      action: PRECURSOR_ACTIONS.twoStepDisabled,
      actor: personActor(adminPerson),
      person: adminPerson,
      context: [user(other)],
    },
    {
      after: 50,
      shows: "an organization admin granted",
      action: PRECURSOR_ACTIONS.orgAdminAdded,
      actor: personActor(adminPerson),
      person: adminPerson,
      context: [user(other)],
    },
    {
      after: 55,
      shows: "a login as another user",
      action: PRECURSOR_ACTIONS.impersonated,
      actor: personActor(adminPerson),
      person: adminPerson,
      context: [user(regular)],
    },
    {
      after: 60,
      shows: "an authentication policy changed",
      action: PRECURSOR_ACTIONS.authPolicy,
      actor: personActor(adminPerson),
      person: adminPerson,
      context: [
        {
          id: "policy-1",
          type: "authentication-policy",
          attributes: { name: "Default policy", twoStepVerification: "optional" },
        },
      ],
    },
  ];
  const burst: Step[] = Array.from({ length: BURST_CALLS }, (_, k) => ({
    after: 70 + k / 2,
    shows: "a burst of reads",
    action: mcp,
    actor: oauth(other),
    person: other,
    context: [tool(k % 2 === 0 ? "getJiraIssue" : "getConfluencePage"), issue(`DATA-${k + 1}`)],
  }));
  const rng = new Rng(hashString("scenario"));
  return [...steps, ...burst].map((step, k) => {
    const processed = start + FIRST_DELAY_MS + step.after * SECOND;
    const id = uuidFrom(hashString(`scenario:${org.orgId}:${k}`));
    const country = step.person.homeCountry;
    const event: AuditEvent = {
      id,
      type: "events",
      attributes: {
        time: new Date(processed - SECOND).toISOString(),
        processedAt: new Date(processed).toISOString(),
        action: org.actionKeyOf(step.action),
        actor: step.actor,
        context: step.context,
        container: [siteItem(site)],
        location: locationIn(at(COUNTRIES, country), hashString(step.person.id), country, rng),
      },
      links: { self: `https://api.atlassian.com/admin/v1/orgs/${org.orgId}/events/${id}` },
    };
    return {
      at: processed,
      event: step.text ? { ...event, message: message(step.text) } : event,
      shows: step.shows,
    };
  });
}
