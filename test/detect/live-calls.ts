import { DetectionEngine } from "../../src/detect/engine.js";
import { DEFAULT_RULES_FILE } from "../../src/detect/rules-file.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, rig } from "../ingest/setup.js";

let n = 0;

/** Who makes a call: Mallory unless told. */
export interface Caller {
  readonly user: string;
  readonly name: string;
  readonly email: string;
}

export const MALLORY: Caller = {
  user: "acct-mallory",
  name: "Mallory",
  email: "mallory@acme.test",
};

/** An MCP call as the events stream gives it, at `time`, with its AI tool, MCP tool and issue. */
export function call(o: {
  readonly time: number;
  readonly by?: Caller;
  readonly app?: string;
  readonly tool?: string;
  readonly resource?: string;
}) {
  const by = o.by ?? MALLORY;
  const tool = o.tool ?? "getJiraIssue";
  return {
    id: `eeeeeeee-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    type: "events",
    attributes: {
      time: new Date(o.time).toISOString(),
      action: "rovo_mcp_tool_called",
      actor: {
        id: by.user,
        name: by.name,
        email: by.email,
        auth: { authType: "auth-token-for-3LO", tokenId: "t1" },
        app: { id: "app-x", type: "oauth-app", attributes: { name: o.app ?? "Claude" } },
      },
      context: [
        { id: tool, type: "mcp-tool", attributes: { name: tool } },
        ...(o.resource
          ? [{ id: o.resource, type: "jira-issue", attributes: { issueKey: o.resource } }]
          : []),
      ],
      container: [
        { id: "site-1", type: "sites", attributes: { siteHostName: "https://acme.atlassian.net" } },
      ],
      location: { ip: "10.0.0.1", countryName: "France" },
    },
  };
}

/**
 * The simulator's organization after an hour of backfilled history, polled over loopback into a
 * real SQLite file, with the rules run on each poll's calls (default rules file).
 */
export async function liveRig() {
  const r = await rig({ hours: 1 });
  const engine = new DetectionEngine({
    stores: repositories(r.db),
    clock: r.clock,
    logger: r.logs.logger,
    orgId: r.sim.orgId,
    config: DEFAULT_RULES_FILE,
  });
  await r.poller.pollOnce();
  engine.run();
  return {
    r,
    /** The alerts stored, about `user` if told. */
    alerts: (user?: string) =>
      new AlertStore(r.db).list(r.sim.orgId).filter((a) => user === undefined || a.userId === user),
    /** Calls Atlassian processed at `at` (default now): visible to the next poll. */
    inject: (items: unknown[], at = r.clock.now()) => r.sim.stream.inject(items, at),
    /** A minute later, a poll, then the rules. */
    poll: async () => {
      r.clock.advance(MINUTE);
      await r.poller.pollOnce();
      engine.run();
    },
  };
}
