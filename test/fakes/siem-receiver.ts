import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One POST the receiver got: its records, and whether its signature checked out. */
export interface ReceivedBatch {
  readonly at: number;
  readonly contentType: string | undefined;
  readonly timestamp: string | undefined;
  /** The signature header as received, for a check with another secret (a rotation). */
  readonly signature: string | undefined;
  readonly verified: boolean;
  readonly body: string;
  readonly records: Array<Record<string, unknown>>;
  /** What it answered. */
  readonly status: number;
}

/**
 * What to answer one POST with; `hold` keeps it unanswered until released; `breaks`: the body is
 * sent, then the connection closed without ending it, or left open with nothing more.
 */
export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly hold?: boolean;
  readonly breaks?: "close" | "stall";
}

/** The check docs/export.md shows a receiver: HMAC-SHA256 of "v1:<timestamp>:<body>". */
export function verify(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = `v1=${createHmac("sha256", secret).update(`v1:${timestamp}:${body}`).digest("hex")}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A SIEM's HTTP collector on 127.0.0.1: records every batch, checks its signature with the
 * real algorithm, answers 200 unless told otherwise (a queue of answers, one per POST).
 */
export class SiemReceiver {
  readonly batches: ReceivedBatch[] = [];
  /** How many answers that break off (`breaks`) have their body sent. */
  broken = 0;
  private readonly answers: Answer[] = [];
  private readonly held: Array<() => void> = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** On the first of `ports` free here (0: any). */
  static async start(secret: string, ports: readonly number[] = [0]): Promise<SiemReceiver> {
    let receiver: SiemReceiver | undefined;
    const server = createServer((req, res) => {
      receiver?.handle(req, res, secret);
    });
    for (const port of ports) if (await listening(server, port)) break;
    if (!server.listening) throw new Error(`none of the ports ${ports.join(", ")} is free`);
    const { port } = server.address() as AddressInfo;
    receiver = new SiemReceiver(server, `http://127.0.0.1:${port}/ingest`);
    return receiver;
  }

  /** Answers the next POSTs with these, in turn; then 200 again. */
  answer(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  /** How many POSTs are held unanswered. */
  get holding(): number {
    return this.held.length;
  }

  /** Answers the held POSTs (with 200). */
  release(): void {
    for (const go of this.held.splice(0)) go();
  }

  /** Every record received, in the order received (retries included). */
  records(): Array<Record<string, unknown>> {
    return this.batches.flatMap((b) => b.records);
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, secret: string): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const timestamp = header(req, "x-mcp-activity-timestamp");
      const signature = header(req, "x-mcp-activity-signature");
      const answer = this.answers.shift() ?? { status: 200 };
      this.batches.push({
        at: Date.now(),
        contentType: header(req, "content-type"),
        timestamp,
        signature,
        verified:
          timestamp !== undefined &&
          signature !== undefined &&
          verify(secret, timestamp, body, signature),
        body,
        records: body
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => JSON.parse(l) as Record<string, unknown>),
        status: answer.status,
      });
      const send = () => {
        res.writeHead(answer.status, answer.headers ?? {});
        if (answer.breaks === undefined) return void res.end(answer.body ?? "");
        res.flushHeaders();
        res.write(answer.body ?? "", () => {
          this.broken += 1;
          if (answer.breaks === "close") res.socket?.destroy();
        });
      };
      if (answer.hold) this.held.push(send);
      else send();
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function listening(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const failed = () => resolve(false);
    server.once("error", failed);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", failed);
      resolve(true);
    });
  });
}
