/**
 * A receiver the bot cannot reach because of something to fix (a certificate it does not trust, a
 * host that does not resolve): retried, and said with what to fix, in the log and /healthz.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ExportClient } from "../../src/export/client.js";
import { targetFingerprint } from "../../src/export/sign.js";
import { Exporter } from "../../src/export/worker.js";
import { Secret } from "../../src/secret.js";
import { mcpEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const TLS = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));

/** An HTTPS receiver on 127.0.0.1 whose certificate a private CA signed (test/fixtures/tls). */
async function privateCaReceiver() {
  let posts = 0;
  let connections = 0;
  const server = createServer(
    { key: readFileSync(TLS("key.pem")), cert: readFileSync(TLS("cert.pem")) },
    (req, res) => {
      posts += 1;
      req.resume();
      req.on("end", () => res.end());
    },
  );
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closeAfterTest(() => new Promise<void>((resolve) => server.close(() => resolve())));
  closeAfterTest(() => server.closeAllConnections());
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}/ingest`,
    posts: () => posts,
    connections: () => connections,
  };
}

function exporterTo(url: string) {
  const s = freshStore();
  s.transaction(() => s.events.insertMany([mcpEvent({ id: "ev-a" })], Date.UTC(2026, 10, 2)));
  const clock = new VirtualClock();
  const logs = capturedLogger("info");
  const exporter = new Exporter({
    store: s.export,
    client: new ExportClient({ url, secret: new Secret(SECRET), clock }),
    orgIds: ["org-1"],
    target: targetFingerprint(url, SECRET),
    origin: new URL(url).origin,
    clock,
    logger: logs.logger,
    random: () => 1,
  });
  /** Passes an hour apart: what is outside the bot does not change by itself. */
  const hours = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await exporter.pass(new AbortController().signal);
      clock.advance(60 * 60_000);
    }
  };
  const warned = () =>
    logs
      .lines()
      .filter((l) => Number(l.level) >= 40)
      .map((l) => String(l.msg));
  return { exporter, hours, warned };
}

describe("a receiver the bot cannot reach", () => {
  it("behind a certificate of a private CA: says to give the bot the CA with NODE_EXTRA_CA_CERTS, and keeps trying", async () => {
    const receiver = await privateCaReceiver();
    const { exporter, hours, warned } = exporterTo(receiver.url);
    await hours(3);
    expect(receiver.posts()).toBe(0);
    // Tried at each pass (a CA added and the bot restarted, or the receiver's certificate fixed).
    expect(receiver.connections()).toBe(3);
    const said =
      "the receiver's TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate): if a private CA signed it, give the bot that CA's certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem and restart it; otherwise fix the certificate the receiver presents";
    // Said once at warn while it lasts, with what to do; /healthz says it too.
    expect(warned()).toEqual([expect.stringContaining(`export: ${said}; `)]);
    expect(exporter.section()).toMatchObject({ ok: false, lastError: { message: said } });
  });

  it("the fix it names works: Node's https trusts the receiver once NODE_EXTRA_CA_CERTS names the CA", async () => {
    const receiver = await privateCaReceiver();
    const post = `import { request } from "node:https"; request(${JSON.stringify(receiver.url)}, { method: "POST" }, (r) => console.log(r.statusCode)).end("{}");`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", post],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: TLS("ca.pem") } },
    );
    expect(stdout.trim()).toBe("200");
    expect(receiver.posts()).toBe(1);
  });

  it("at a host that does not resolve: says to check the host in EXPORT_URL, and keeps trying", async () => {
    const { exporter, hours, warned } = exporterTo("https://siem-typo.invalid/ingest");
    await hours(2);
    const said =
      "the host in EXPORT_URL does not resolve (ENOTFOUND siem-typo.invalid): check its spelling, and this machine's DNS";
    expect(warned()).toEqual([expect.stringContaining(`export: ${said}; `)]);
    expect(exporter.section()).toMatchObject({ ok: false, lastError: { message: said } });
  });
});
