import { describe, expect, it } from "vitest";
import type { ActionInfo } from "../../src/domain/event.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { connect, freshStore, T } from "./setup.js";

const action = (key: string, displayName: string): ActionInfo => ({
  action: key,
  displayName,
  groupName: "Rovo MCP User Actions",
});
const none = () => false;

describe("the stored action catalogue", () => {
  it("is read again only after it may have changed: a write on this connection or a commit on another", () => {
    const s = freshStore();
    s.eventActions.replace("org-1", [action("rovo_mcp_tool_called", "Tool called")], none, T);
    const first = s.eventActions.catalog("org-1");
    expect([...first.keys()]).toEqual(["rovo_mcp_tool_called"]);
    expect(s.eventActions.catalog("org-1")).toBe(first); // nothing changed: not read again

    // Another store on the same connection writes.
    new EventActionStore(s.db).replace("org-1", [action("page_created", "Page created")], none, T);
    const second = s.eventActions.catalog("org-1");
    expect([...second.keys()].sort()).toEqual(["page_created", "rovo_mcp_tool_called"]);

    // Another connection to the same file (another process, say) commits.
    connect(s.path).eventActions.replace(
      "org-1",
      [action("issue_deleted", "Issue deleted")],
      none,
      T,
    );
    expect(s.eventActions.catalog("org-1").get("issue_deleted")?.displayName).toBe("Issue deleted");

    // Each organization has its own.
    s.eventActions.replace("org-2", [action("space_created", "Space created")], none, T);
    expect([...s.eventActions.catalog("org-2").keys()]).toEqual(["space_created"]);
    expect(s.eventActions.catalog("org-1").has("space_created")).toBe(false);
  });
});
