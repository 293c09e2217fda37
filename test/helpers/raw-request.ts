import { connect } from "node:net";

/**
 * Sends `request` as it is written (a target `fetch` would refuse to send) to 127.0.0.1:`port`,
 * and resolves with the status line of the answer; "" when none came within 2 s.
 */
export function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    const done = () => {
      clearTimeout(timer);
      c.destroy();
      resolve(got.split("\r\n")[0] ?? "");
    };
    const c = connect(port, "127.0.0.1", () => c.write(request));
    const timer = setTimeout(done, 2_000);
    c.on("data", (d) => {
      got += String(d);
    });
    c.on("close", done);
    c.on("error", done);
  });
}

/** A GET of `target` on a connection that closes after the answer. */
export const rawGet = (port: number, target: string) =>
  rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
