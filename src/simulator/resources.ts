/** `context[]` items for what an event touches: Jira issues, Confluence pages, Compass components. */

import type { AuditItem } from "./audit-json.js";
import type { Site } from "./people.js";
import { at, hashInts, hashString, type Rng, uuidFrom } from "./prng.js";
import type { ResourceKind } from "./tools.js";

// Words here must never equal a tool name ("search", "fetch", …): tests rely on the tool name
// appearing in exactly one place. Some carry characters Slack needs escaped.
const SUMMARIES = [
  "Login times out on mobile after 30 s",
  "Flaky CI pipeline on main",
  "Billing export misses VAT column",
  "Upgrade Node to 20 in build images",
  "VPN access for the Łódź office",
  "Payment retries double-charge customers",
  "Onboarding checklist for new hires",
  "Rotate TLS certificates before expiry",
  "Dashboard shows <undefined> & NaN totals",
  "Café Zürich: kiosk printer offline",
  "Migrate cron jobs to the scheduler",
  "Customer reports 500 on invoice page",
  "Document the on-call escalation path",
  "“Smart quotes” break the CSV import",
  "Slow queries on the orders table",
  "Add SSO for the partner portal",
  "Remove legacy feature flags",
  "Translate help center into 日本語",
  "Release 4.2 checklist 🚀",
  "Investigate memory leak in worker",
  "Audit log export fails for large orgs",
  "Reset 2FA for contractor accounts",
];

const TITLES = [
  "Runbook: database failover",
  "Q3 planning",
  "Onboarding guide",
  "Postmortem: checkout outage 2026-03",
  "ADR 12: event sourcing for billing",
  "Équipe Paris – feuille de route",
  "API style guide",
  "On-call handbook",
  "Release notes 4.2",
  "Security review: Rovo MCP rollout",
  "Interview loop <draft>",
  "Team offsite 🏖️ ideas",
];

const COMPONENTS = [
  "payments-api",
  "checkout-web",
  "identity-service",
  "billing-worker",
  "notifications",
  "mobile-gateway",
  "data-pipeline",
  "feature-flags",
];

export interface Resource {
  readonly item: AuditItem;
  /** Short human label: "OPS-12", "page “Q3 planning”". */
  readonly label: string;
}

function jiraIssue(seed: number, site: Site, rng: Rng): Resource {
  const projectIndex = rng.int(site.projects.length);
  const [project] = at(site.projects, projectIndex);
  const number = 1 + rng.int(1500);
  const issueKey = `${project}-${number}`;
  const h = hashInts(seed, hashString(site.siteName + issueKey));
  return {
    label: issueKey,
    item: {
      id: String(10_000 + projectIndex * 100_000 + number),
      type: "jira-issue",
      attributes: { issueKey, summary: at(SUMMARIES, h % SUMMARIES.length) },
      links: { alt: `${site.siteHostName}/browse/${issueKey}` },
    },
  };
}

export function jiraProject(site: Site, rng: Rng): Resource {
  const index = rng.int(site.projects.length);
  const [projectKey, name] = at(site.projects, index);
  return {
    label: `project ${projectKey}`,
    item: { id: String(10_000 + index), type: "jira-project", attributes: { projectKey, name } },
  };
}

export function confluencePage(seed: number, site: Site, rng: Rng): Resource {
  const [spaceKey] = at(site.spaces, rng.int(site.spaces.length));
  const h = hashInts(seed, hashString(site.siteName + spaceKey), rng.int(400));
  const pageId = String(100_000 + (h % 9_000_000));
  const title = at(TITLES, h % TITLES.length);
  return {
    label: `page “${title}”`,
    item: {
      id: pageId,
      type: "confluence-page",
      attributes: { pageId, title, spaceKey },
      links: { alt: `${site.siteHostName}/wiki/spaces/${spaceKey}/pages/${pageId}` },
    },
  };
}

function confluenceSpace(site: Site, rng: Rng): Resource {
  const [spaceKey, name] = at(site.spaces, rng.int(site.spaces.length));
  return {
    label: `space ${spaceKey}`,
    item: {
      id: String(hashString(spaceKey) % 1_000_000),
      type: "confluence-space",
      attributes: { spaceKey, name },
    },
  };
}

function compassComponent(seed: number, site: Site, rng: Rng): Resource {
  const name = rng.pick(COMPONENTS);
  const id = `ari:cloud:compass:${site.cloudId}:component/${uuidFrom(hashInts(seed, hashString(name)))}`;
  return {
    label: `component ${name}`,
    item: { id, type: "compass-component", attributes: { name } },
  };
}

/** The resource item a tool of this kind touches, or undefined for "none". */
export function resourceOf(
  kind: ResourceKind,
  seed: number,
  site: Site,
  rng: Rng,
): Resource | undefined {
  switch (kind) {
    case "jira-issue":
      return jiraIssue(seed, site, rng);
    case "jira-project":
      return jiraProject(site, rng);
    case "confluence-page":
      return confluencePage(seed, site, rng);
    case "confluence-space":
      return confluenceSpace(site, rng);
    case "compass-component":
      return compassComponent(seed, site, rng);
    case "any-content":
      return rng.chance(0.5) ? jiraIssue(seed, site, rng) : confluencePage(seed, site, rng);
    case "none":
      return undefined;
  }
}

/** The issue of the seeded canary read: a number ordinary calls never reach (they stop at 1500). */
export function canaryIssue(site: Site): Resource {
  const [project] = at(site.projects, 0);
  const issueKey = `${project}-9001`;
  return {
    label: issueKey,
    item: {
      id: "99001",
      type: "jira-issue",
      attributes: { issueKey, summary: "Payroll export credentials" },
      links: { alt: `${site.siteHostName}/browse/${issueKey}` },
    },
  };
}

/** The page of the seeded scope expansion: in a space ordinary calls never touch. */
export const LEGAL_SPACE = "LEGAL";

export function legalPage(site: Site): Resource {
  const pageId = "9000001";
  const title = "Settlement terms <confidential>";
  return {
    label: `page “${title}”`,
    item: {
      id: pageId,
      type: "confluence-page",
      attributes: { pageId, title, spaceKey: LEGAL_SPACE },
      links: { alt: `${site.siteHostName}/wiki/spaces/${LEGAL_SPACE}/pages/${pageId}` },
    },
  };
}
