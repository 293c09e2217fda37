/** The stop reason an operator reads (log, /healthz, status) says what the receiver answered. */
import { describe, expect, it } from "vitest";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";

/** The stop reason /healthz shows, and the log's error line, after the receiver answered so. */
async function refusedWith(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  path = "",
) {
  const receiver = await SiemReceiver.start(SECRET);
  closeAfterTest(() => receiver.close());
  const s = freshStore();
  s.transaction(() => s.events.insertMany([mcpEvent({ id: "ev-a" })], Date.UTC(2026, 10, 2)));
  const logs = capturedLogger("info");
  const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), logs.logger, { path });
  // "{host}" in a header: the receiver's own host and port.
  const host = new URL(receiver.url).host;
  receiver.answer({
    status,
    body,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, value.replace("{host}", host)]),
    ),
  });
  await exporter.pass(new AbortController().signal);
  const errors = logs.lines().filter((l) => l.level === 50);
  return { reason: String(exporter.section().stopped?.reason), log: String(errors[0]?.msg) };
}

describe("the reason a refusal is said with", () => {
  it("is an HTML page's title, not its first line `<html>`", async () => {
    const page =
      "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    const { reason, log } = await refusedWith(403, page, { "content-type": "text/html" });
    expect(reason).toBe("the receiver answered 403: 403 Forbidden");
    expect(log).toContain("export stopped: the receiver answered 403: 403 Forbidden.");
  });

  it("is a page's text, tags and scripts left out, when it has no title", async () => {
    const page =
      "<!DOCTYPE html>\n<html><head><style>h1 { color: red }</style><script>var a = 1;</script></head>\n<body>\n  <h1>Request blocked</h1>\n  <p>Rule 942100 &amp; 2 others matched</p>\n</body></html>";
    const { reason } = await refusedWith(406, page, { "content-type": "text/html" });
    expect(reason).toBe(
      "the receiver answered 406: Request blocked Rule 942100 & 2 others matched",
    );
  });

  it("is a pretty-printed JSON error on one line, not its first line `{`", async () => {
    const json =
      '{\n  "error": {\n    "type": "mapper_parsing_exception",\n    "reason": "failed to parse field [user]"\n  }\n}';
    const { reason } = await refusedWith(400, json, { "content-type": "application/json" });
    expect(reason).toBe(
      'the receiver answered 400: {"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [user]"}}',
    );
  });

  it("is a text's lines together, white space collapsed, and bounded", async () => {
    const { reason } = await refusedWith(400, "\n\nBad Request\n  missing header   X-Index\n");
    expect(reason).toBe("the receiver answered 400: Bad Request missing header X-Index");
    const long = await refusedWith(400, `${"word ".repeat(100)}\n`);
    expect(long.reason).toHaveLength("the receiver answered 400: ".length + 200);
    expect(long.reason.endsWith("…")).toBe(true);
  });

  it("says where a redirect points from EXPORT_URL, never as a path, query or credentials", async () => {
    const elsewhere = await refusedWith(
      301,
      "<html><head><title>301 Moved Permanently</title></head></html>",
      { location: "https://user:pass@siem.example.com/v2/tok-abcdefgh1234?key=hunter22" },
    );
    expect(elsewhere.reason).toBe(
      "the receiver answered 301, a redirect to another host, https://siem.example.com, at another path (not followed: set EXPORT_URL to it if the receiver is there): 301 Moved Permanently",
    );
    expect(elsewhere.log).not.toMatch(/hunter22|user:pass|tok-abcdefgh1234/);
    const nowhere = await refusedWith(302, "");
    expect(nowhere.reason).toBe("the receiver answered 302, a redirect without a Location");
  });

  it.each([
    ["/ingest/mcp-activity/", "EXPORT_URL with a trailing slash"],
    ["/ingest/mcp-activity?session=1", "EXPORT_URL with another query"],
    ["/login", "another path on the same host"],
    ["https://{host}/ingest/mcp-activity", "EXPORT_URL over https"],
    [
      "https://siem.example.com/ingest/mcp-activity/",
      "another host, https://siem.example.com, at EXPORT_URL's path with a trailing slash",
    ],
  ])("says a redirect to %s as %s", async (location, said) => {
    const { reason, log } = await refusedWith(308, "", { location }, "/mcp-activity");
    const expected = `the receiver answered 308, a redirect to ${said} (not followed: set EXPORT_URL to it if the receiver is there)`;
    expect(reason).toBe(expected);
    expect(log).toContain(`export stopped: ${expected}. Check EXPORT_URL`);
  });

  it.each([
    // Zapier's catch hook: an account id and a hook id, both under 8 characters.
    ["a Zapier catch hook", "/hooks/catch/1234567/ab3x9qz/", ["1234567", "ab3x9qz"]],
    ["a token of lower-case letters", "/webhook/kqzmvwtrplxnhbfd", ["kqzmvwtrplxnhbfd"]],
    ["a collector's own key", "/receiver/http/ZaVnCdhaVTnnhuoevsQmPk", ["ZaVnCdhaVTnnhuoevsQmPk"]],
  ])("never says the path of %s, and keeps the reason's own words", async (_, path, secrets) => {
    const trimmed = path.replace(/\/$/, "");
    const said = [
      await refusedWith(301, "", { location: `/ingest${trimmed}` }, path),
      await refusedWith(308, "", { location: `/ingest${trimmed}/` }, path),
      await refusedWith(
        404,
        `{"status":"error","message":"no hook at /ingest${path}","hook":"${secrets.at(-1)}"}`,
        { "content-type": "application/json" },
        path,
      ),
    ];
    for (const { reason, log } of said) {
      expect(reason).toMatch(/^the receiver answered \d+(,|:) /);
      for (const secret of secrets) expect(`${reason} ${log}`).not.toContain(secret);
    }
    expect(said[2]?.reason).toBe(
      'the receiver answered 404: {"status":"error","message":"no hook at …","hook":"…"}',
    );
  });
});
