import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

/** What a receiver answered: the parts of a fetch Response the client reads. */
export type Answer = Pick<Response, "status" | "headers" | "body">;

/**
 * POSTs `body` with Node's http/https modules rather than fetch: fetch refuses, before any
 * connection, the ports the Fetch standard blocks ("bad port": 10080, 6000, 5060, 6665–6669, …),
 * and Cribl Stream's HTTP source listens on 10080 by default. Rejects with Node's own error (its
 * `code`: ECONNREFUSED, ENOTFOUND, a TLS verdict) when no answer comes; `signal` covers the body.
 */
export function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<Answer> {
  const send = new URL(url).protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        signal,
      },
      (response) => {
        try {
          resolve(answer(response));
        } catch (error) {
          // A header a fetch Headers cannot hold: no answer to read.
          response.destroy();
          reject(error);
        }
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

function answer(response: IncomingMessage): Answer {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] ?? "", raw[i + 1] ?? "");
  return {
    status: response.statusCode ?? 0,
    headers,
    // Cancelling it (a page read to its start) destroys the response, and so its socket.
    body: Readable.toWeb(response) as ReadableStream<Uint8Array>,
  };
}
