/**
 * Whether a 2xx's body (its start, as read) is a web page: what a gateway or SSO proxy in front of
 * the collector answers (its sign-in page, its error page), when the collector never got the
 * batch. A page by its start (a doctype, `<html>`, `<head>` or `<body>`, after any XML declaration
 * and comments), or by a tag under a `text/html` label. A collector's XML acknowledgement
 * (`<?xml …?><response>`, as Splunk's /services/receivers/simple answers) is no page. Pure.
 */
export function isWebPage(body: string, contentType: string | null): boolean {
  const start = body.trimStart();
  return HTML_START.test(start) || (/^text\/html\b/i.test(contentType ?? "") && TAG.test(start));
}

const HTML_START =
  /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>/]/i;

/** A tag, a doctype or a comment: not an XML declaration. */
const TAG = /^<[a-z!]/i;
