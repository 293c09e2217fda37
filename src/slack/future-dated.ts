import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { HTTPModuleFunctions, isRawBodyError } from "@slack/bolt";
import type { Clock } from "../clock.js";
import { signedWith } from "./signed-with.js";

/** Slack's bound on a request's age, either way (Bolt checks the past side only). */
const SKEW_SECONDS = 5 * 60;

/**
 * How Slack writes X-Slack-Request-Timestamp: whole seconds in plain digits. Bolt reads the header
 * with Number() and signs over that number, so '+T', '0T', 'T.0' or 'Te0' carry T's signature.
 */
const PLAIN_SECONDS = /^[1-9][0-9]{0,14}$/;

/** Worded as Bolt words a timestamp header it cannot read, so it is counted as `unsigned`. */
const NOT_PLAIN =
  "header x-slack-request-timestamp did not have the expected type (not whole seconds in plain digits)";

/** How SignatureChecks is told of a request dated too far ahead (see signatures.ts). */
export const DATED_AHEAD =
  "x-slack-request-timestamp is more than 5 minutes ahead of this host's clock: request is stale";

/**
 * Bolt's request listener, refusing first (401) a request whose X-Slack-Request-Timestamp is not
 * written as Slack writes it (another spelling of a number would let a replay past the check
 * below, its signature still holding for Bolt), and one whose timestamp is more than 5 minutes
 * ahead of this host's clock and that is signed with the app's secret: Bolt would take it. Its body is read as Bolt reads it (Bolt's limit), to tell it from a forgery: one
 * not signed with the secret goes on to Bolt with its body read, which refuses its signature.
 * `refused` is told as it is told of Bolt's refusals.
 */
export function refusingDatedAhead(
  listener: RequestListener,
  o: {
    readonly clock: Clock;
    readonly secret: string;
    readonly refused: (reason: string, signedRight: boolean) => void;
  },
): (req: IncomingMessage, res: ServerResponse) => void {
  const refuse = (res: ServerResponse, status: number) => {
    res.writeHead(status);
    res.end();
  };
  return (req, res) => {
    const header = req.headers["x-slack-request-timestamp"];
    // Absent: Bolt refuses it as unsigned, as it refuses a missing signature.
    if (header !== undefined && (typeof header !== "string" || !PLAIN_SECONDS.test(header))) {
      o.refused(NOT_PLAIN, false);
      return refuse(res, 401);
    }
    const dated = Number(header);
    if (!Number.isFinite(dated) || dated - o.clock.now() / 1000 <= SKEW_SECONDS)
      return listener(req, res);
    HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit).then(
      (read) => {
        if (!signedWith(o.secret, read)) return listener(req, res);
        o.refused(DATED_AHEAD, true);
        refuse(res, 401);
      },
      (error: unknown) => {
        // Worded as Bolt words a body it did not read.
        const tooLarge = isRawBodyError(error) && error.type === "entity.too.large";
        o.refused(
          tooLarge
            ? "Request body exceeded the maximum allowed size"
            : `Failed to parse and verify the request data: ${(error as Error).message}`,
          false,
        );
        refuse(res, tooLarge ? 413 : 401);
      },
    );
  };
}
