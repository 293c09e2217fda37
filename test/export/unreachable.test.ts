import { describe, expect, it } from "vitest";
import { unreachableReason } from "../../src/export/unreachable.js";

describe("unreachableReason", () => {
  it("says a certificate out of its dates, or for another host, is not trusted, and what to fix", () => {
    expect(unreachableReason("CERT_HAS_EXPIRED", "certificate has expired")).toBe(
      "the receiver's TLS certificate is not trusted (CERT_HAS_EXPIRED: certificate has expired): renew it on the receiver, or check this machine's clock",
    );
    expect(
      unreachableReason(
        "ERR_TLS_CERT_ALTNAME_INVALID",
        "Hostname/IP does not match certificate's altnames: Host: siem. is not in the cert's altnames: DNS:collector.example.com",
      ),
    ).toMatch(
      /^the receiver's TLS certificate is not trusted \(ERR_TLS_CERT_ALTNAME_INVALID: .*\): it is not for the host in EXPORT_URL; set EXPORT_URL to a name the certificate holds$/,
    );
    expect(unreachableReason("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate")).toMatch(
      /not trusted .*NODE_EXTRA_CA_CERTS=/,
    );
  });

  it("says other TLS failures are TLS, a typo in the host a typo, and the rest a network error", () => {
    expect(unreachableReason("ERR_SSL_WRONG_VERSION_NUMBER", "wrong version number")).toBe(
      "TLS with the receiver failed (ERR_SSL_WRONG_VERSION_NUMBER: wrong version number): check that EXPORT_URL's port speaks HTTPS, and the receiver's certificate",
    );
    expect(unreachableReason("ENOTFOUND", "getaddrinfo ENOTFOUND siem.exmaple.com")).toBe(
      "the host in EXPORT_URL does not resolve (ENOTFOUND siem.exmaple.com): check its spelling, and this machine's DNS",
    );
    expect(unreachableReason("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9")).toBe(
      "network error (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:9",
    );
    expect(unreachableReason(undefined, "fetch failed")).toBe("network error: fetch failed");
  });
});
