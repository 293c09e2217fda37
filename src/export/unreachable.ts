/**
 * Why the receiver could not be reached, said with what to fix where the cause names it: a
 * certificate the bot does not trust, a host that does not resolve. Pure: the caller cuts
 * EXPORT_URL's path out of `message` (Node's request errors may quote the address).
 */

/** OpenSSL's verdicts on a chain no trusted CA signed (a private CA, a self-signed certificate). */
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "INVALID_CA",
]);
/** …on a certificate outside its dates. */
const OUT_OF_DATE = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

const NOT_TRUSTED = "the receiver's TLS certificate is not trusted";

/** The reason a POST that got no answer (`code`, `message`: Node's request error) is retried with. */
export function unreachableReason(code: string | undefined, message: string): string {
  const cause = code ? `${code}: ${message}` : message;
  if (code && UNTRUSTED.has(code))
    return `${NOT_TRUSTED} (${cause}): if a private CA signed it, give the bot that CA's certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem and restart it; otherwise fix the certificate the receiver presents`;
  if (code && OUT_OF_DATE.has(code))
    return `${NOT_TRUSTED} (${cause}): renew it on the receiver, or check this machine's clock`;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID")
    return `${NOT_TRUSTED} (${cause}): it is not for the host in EXPORT_URL; set EXPORT_URL to a name the certificate holds`;
  if (code && /^(ERR_SSL_|ERR_TLS_)|CERT/.test(code))
    return `TLS with the receiver failed (${cause}): check that EXPORT_URL's port speaks HTTPS, and the receiver's certificate`;
  if (code === "ENOTFOUND") {
    const host = /ENOTFOUND\s+(\S+)/.exec(message)?.[1];
    return `the host in EXPORT_URL does not resolve (ENOTFOUND${host ? ` ${host}` : ""}): check its spelling, and this machine's DNS`;
  }
  return `network error${code ? ` (${code})` : ""}: ${message}`;
}
