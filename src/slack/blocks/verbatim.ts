type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The blocks with `verbatim: true` on every mrkdwn text object: Slack then turns no URL, channel
 * name or mention written as plain text into a link (the app's own `<url|label>` links and
 * `<@U…>` mentions still work). Outside strings are escaped besides (see escape.ts).
 */
export function verbatim<T>(blocks: T): T {
  if (Array.isArray(blocks)) return blocks.map((b) => verbatim(b)) as T;
  if (!isNode(blocks)) return blocks;
  const copy: Node = {};
  for (const [key, value] of Object.entries(blocks)) copy[key] = verbatim(value);
  if (copy.type === "mrkdwn" && typeof copy.text === "string" && copy.verbatim === undefined)
    copy.verbatim = true;
  return copy as T;
}
