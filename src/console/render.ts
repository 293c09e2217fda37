/** Block Kit as a terminal shows it: mrkdwn made plain, buttons named by what to type. */

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  accent(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOURS: Style = { bold: ansi(1, 22), dim: ansi(2, 22), accent: ansi(36, 39) };
export const PLAIN: Style = { bold: (t) => t, dim: (t) => t, accent: (t) => t };

/** A button as the console offers it: the words to type to press it. */
export interface ConsoleButton {
  readonly actionId: string;
  readonly label: string;
  readonly value: string;
  /** An option of an overflow menu rather than a button. */
  readonly option?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null;
const textOf = (v: unknown): string => (isObj(v) && typeof v.text === "string" ? v.text : "");

/** Slack's mrkdwn as plain text: links, mentions, dates and entities resolved; bold kept. */
export function plainMrkdwn(text: string, style: Style, names: (id: string) => string): string {
  return text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, label?: string) => label ?? "@responders")
    .replace(/<!(here|channel|everyone)>/g, "@$1")
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${names(id)}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `#${label ?? id}`)
    .replace(/<([^|>\s]+)\|([^>]+)>/g, (_, _url: string, label: string) => style.accent(label))
    .replace(/<(https?:[^>\s]+)>/g, (_, url: string) => style.accent(url))
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, (_, before: string, inner: string) => {
      return `${before}${style.bold(inner)}`;
    })
    .replace(/`([^`\n]+)`/g, "$1")
    .replace(/(^|\s)_([^_\n]+)_(?=[\s).,:;!?]|$)/g, (_, before: string, inner: string) => {
      return `${before}${style.dim(inner)}`;
    })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function buttonsOf(blocks: readonly unknown[]): ConsoleButton[] {
  return blocks.flatMap((block) =>
    isObj(block) && block.type === "actions" && Array.isArray(block.elements)
      ? block.elements.filter(isObj).flatMap((e): ConsoleButton[] => {
          const actionId = String(e.action_id ?? "");
          if (!Array.isArray(e.options))
            return [{ actionId, label: textOf(e.text), value: String(e.value ?? "") }];
          return e.options.filter(isObj).map((o) => ({
            actionId,
            label: textOf(o.text),
            value: String(o.value ?? ""),
            option: true,
          }));
        })
      : [],
  );
}

/**
 * The lines of a message. `buttonWords` says what to type for a button (undefined: not offered on
 * the console); a message without blocks shows its text.
 */
export function renderBlocks(
  blocks: readonly unknown[],
  fallback: string,
  style: Style,
  names: (id: string) => string,
  buttonWords: (button: ConsoleButton) => string | undefined,
): string[] {
  const plain = (text: string) => plainMrkdwn(text, style, names);
  if (blocks.length === 0) return plain(fallback).split("\n");
  const lines: string[] = [];
  for (const block of blocks.filter(isObj)) {
    switch (block.type) {
      case "header":
        lines.push(style.bold(textOf(block.text)));
        break;
      case "section":
        if (block.text) lines.push(...plain(textOf(block.text)).split("\n"));
        for (const field of Array.isArray(block.fields) ? block.fields : [])
          lines.push(
            ...plain(textOf(field))
              .split("\n")
              .map((l, i) => (i === 0 ? `  ${l}` : `      ${l}`)),
          );
        break;
      case "context":
        if (Array.isArray(block.elements))
          lines.push(style.dim(block.elements.map((e) => plain(textOf(e))).join("  ·  ")));
        break;
      case "divider":
        lines.push(style.dim("─".repeat(40)));
        break;
      case "image":
        lines.push(style.dim(`[image: ${String(block.alt_text ?? "")}]`));
        break;
      case "actions": {
        const offered = buttonsOf([block]).flatMap((b) => {
          const words = buttonWords(b);
          return words ? [`[${b.label}: ${style.accent(words)}]`] : [];
        });
        if (offered.length > 0) lines.push(offered.join(" "));
        break;
      }
      default:
        break;
    }
  }
  return lines;
}
