/** As much of an error answer's body as is read: enough for the line the log and /healthz show. */
const ERROR_BODY_BYTES = 4_096;

/**
 * The start of an answer's body, at most `limit` bytes as text, the rest cancelled unread: a
 * proxy's error page may be huge or endless, and is read again on every retry. Rejects when the
 * body breaks off (a closed connection, a timeout, an abort); `readStart` says what came before.
 */
export async function bodyStart(
  response: Pick<Response, "body">,
  limit = ERROR_BODY_BYTES,
): Promise<string> {
  const read = await readStart(response, limit);
  if (read.broke) throw read.error;
  return read.text;
}

/** What a body's start was read as: when it broke off, what came before, and why. */
export type BodyRead =
  | { readonly broke: false; readonly text: string }
  | { readonly broke: true; readonly text: string; readonly error: unknown };

/** As `bodyStart`, but a body that breaks off is told with what came before it. */
export async function readStart(
  response: Pick<Response, "body">,
  limit = ERROR_BODY_BYTES,
): Promise<BodyRead> {
  const reader = response.body?.getReader();
  if (!reader) return { broke: false, text: "" };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let broken: { error: unknown } | undefined;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    broken = { error };
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // `stream`: a character cut at the limit is left out rather than shown as U+FFFD.
  const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit), {
    stream: true,
  });
  return broken ? { broke: true, text, error: broken.error } : { broke: false, text };
}

/** Whether a body starts as a web page (`<` after any white space); undefined while it is all white. */
function startsAsPage(text: string): boolean | undefined {
  const start = text.trimStart();
  return start.length > 0 ? start.startsWith("<") : undefined;
}

/**
 * A success's body read whole, unless it starts as a web page (`<` after any white space): then
 * only its start, the rest cancelled unread, since a captive portal's page may be endless. What
 * it is is told by the body, not its label: a gateway may label the API's JSON `text/html`.
 */
export async function bodyUnlessPage(response: Response): Promise<{ text: string; page: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: "", page: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let page: boolean | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (page === undefined) page = startsAsPage(Buffer.concat(chunks).toString("utf8"));
      if (page && size >= ERROR_BODY_BYTES) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return page ? { text: text.slice(0, ERROR_BODY_BYTES), page: true } : { text, page: false };
}
