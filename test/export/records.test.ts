import { describe, expect, it } from "vitest";
import type { AlertChange, ExportedEvent } from "../../src/domain/export.js";
import { buildBatch } from "../../src/export/batch.js";
import { alertRecord, eventRecord, line } from "../../src/export/records.js";
import { signature } from "../../src/export/sign.js";
import { verify } from "../fakes/siem-receiver.js";

const T = Date.UTC(2026, 10, 2, 9, 30, 0);

const event = (over: Partial<ExportedEvent> = {}): ExportedEvent => ({
  seq: 41,
  orgId: "org-1",
  id: "3f6c2b1e-0000-4000-8000-000000000001",
  time: T,
  action: "rovo_mcp_tool_called",
  user: { id: "acc-ada", name: "Ada", email: "ada@example.com" },
  tool: "deleteJiraIssue",
  innerTool: null,
  toolClass: "destructive",
  toolGuessed: false,
  authKind: "oauth",
  product: "jira",
  site: "acme.atlassian.net",
  ip: "203.0.113.10",
  ...over,
});

const change = (over: Partial<AlertChange> = {}): AlertChange => ({
  changeId: 7,
  orgId: "org-1",
  alertId: 12,
  alertRaisedAt: T,
  at: T + 60_000,
  change: "status",
  alikeBefore: 0,
  rule: "mcp-destructive",
  title: "deleteJiraIssue by Ada",
  severity: "high",
  status: "acknowledged",
  person: { id: "acc-ada", name: "Ada", email: "ada@example.com" },
  changedBy: "U012AB3CD",
  forChannel: true,
  quietedBy: null,
  ...over,
});

describe("export records", () => {
  it("maps an MCP event to an OCSF API Activity record", () => {
    expect(eventRecord(event())).toEqual({
      record_id: "org-1:mcp_event:3f6c2b1e-0000-4000-8000-000000000001",
      kind: "mcp_event",
      org_id: "org-1",
      time: "2026-11-02T09:30:00.000Z",
      class_uid: 6003,
      category_uid: 6,
      activity_id: 4,
      type_uid: 600304,
      id: "3f6c2b1e-0000-4000-8000-000000000001",
      action: "rovo_mcp_tool_called",
      user: { uid: "acc-ada", name: "Ada", email_addr: "ada@example.com" },
      tool: "deleteJiraIssue",
      operation: null,
      tool_class: "destructive",
      tool_guessed: false,
      auth_kind: "oauth",
      product: "jira",
      site: "acme.atlassian.net",
      ip: "203.0.113.10",
    });
    expect(eventRecord(event({ toolClass: "read" })).activity_id).toBe(2);
    expect(eventRecord(event({ toolClass: "write" })).type_uid).toBe(600303);
    expect(eventRecord(event({ toolClass: null, tool: null })).activity_id).toBe(0);
  });

  it("writes a line a terminal prints as it is: C1 controls escaped, the same JSON", () => {
    const hostile = event({ tool: "get\u009b2J\u0085Issue" });
    const text = line(eventRecord(hostile));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be printed
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain("get\\u009b2J\\u0085Issue");
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(eventRecord(hostile))));
  });

  it("maps an alert change, naming who changed it only when a person did", () => {
    expect(alertRecord(change())).toEqual({
      record_id: `org-1:alert:12.${T}:status:${T + 60_000}:0`,
      kind: "alert",
      org_id: "org-1",
      time: "2026-11-02T09:31:00.000Z",
      id: "12",
      change: "status",
      rule: "mcp-destructive",
      title: "deleteJiraIssue by Ada",
      severity: "high",
      severity_id: 4,
      status: "acknowledged",
      person: { uid: "acc-ada", name: "Ada", email_addr: "ada@example.com" },
      changed_by: "U012AB3CD",
    });
    expect(alertRecord(change({ change: "raised", changedBy: null }))).not.toHaveProperty(
      "changed_by",
    );
  });

  it("says of a raised alert whether it went to the channel, and what kept it out", () => {
    const raised = alertRecord(change({ change: "raised", changedBy: null }));
    expect(raised).toMatchObject({ for_channel: true });
    expect(raised).not.toHaveProperty("quieted_by");
    const muted = "marked expected by <@U1> on alert 3, muted for 7 days";
    expect(
      alertRecord(
        change({ change: "raised", changedBy: null, forChannel: false, quietedBy: muted }),
      ),
    ).toMatchObject({ for_channel: false, quieted_by: muted });
    // A later change says neither: the raise said it once.
    expect(alertRecord(change({ forChannel: false, quietedBy: muted }))).not.toHaveProperty(
      "for_channel",
    );
    // Its growth into the channel says it again.
    expect(alertRecord(change({ change: "channel", changedBy: null }))).toMatchObject({
      for_channel: true,
    });
  });

  it("batches events before alert changes, each in order, and says where they reach", () => {
    const batch = buildBatch(
      { mcp_event: 40, alert: 6 },
      [event(), event({ seq: 43, id: "ev-43" })],
      [change()],
    );
    expect(batch?.to).toEqual({ mcp_event: 43, alert: 7 });
    expect(
      batch?.body
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).record_id),
    ).toEqual([
      "org-1:mcp_event:3f6c2b1e-0000-4000-8000-000000000001",
      "org-1:mcp_event:ev-43",
      `org-1:alert:12.${T}:status:${T + 60_000}:0`,
    ]);
    expect(batch?.body.endsWith("\n")).toBe(true);
    expect(buildBatch({ mcp_event: 0, alert: 0 }, [], [])).toBeUndefined();
  });

  it("sends an event at or below the position again without moving it back, and names the events sent", () => {
    const batch = buildBatch(
      { mcp_event: 40, alert: 6 },
      [event({ seq: 12, id: "ev-12" }), event({ seq: 43, id: "ev-43" })],
      [],
    );
    expect(batch?.to).toEqual({ mcp_event: 43, alert: 6 });
    expect(batch?.sent).toEqual([12, 43]);
    expect(buildBatch({ mcp_event: 40, alert: 6 }, [event({ seq: 12 })], [])?.to).toEqual({
      mcp_event: 40,
      alert: 6,
    });
  });

  it("cuts a batch at its byte budget, never below one record, and moves only past what it holds", () => {
    const one = Buffer.byteLength(JSON.stringify(eventRecord(event()))) + 1;
    const batch = buildBatch(
      { mcp_event: 0, alert: 0 },
      [event(), event({ seq: 42 }), event({ seq: 43 })],
      [change()],
      one * 2,
    );
    expect({ events: batch?.events, alerts: batch?.alerts, to: batch?.to }).toEqual({
      events: 2,
      alerts: 0,
      to: { mcp_event: 42, alert: 0 },
    });
    expect(buildBatch({ mcp_event: 0, alert: 0 }, [event()], [], 10)?.events).toBe(1);
  });

  it("signs v1:<timestamp>:<body> as the docs' receiver checks it", () => {
    const body = '{"a":1}\n';
    const header = signature("a-secret-of-enough-length-0123456789", 1762075800, body);
    expect(header).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verify("a-secret-of-enough-length-0123456789", "1762075800", body, header)).toBe(true);
    expect(verify("a-secret-of-enough-length-0123456789", "1762075801", body, header)).toBe(false);
  });
});
