/**
 * Text from a token, a file or an argument, made safe to print on a terminal. A raw ESC starts an
 * escape sequence (colours, cursor moves, OSC 8 links, a window title), and a raw newline or
 * carriage return can paint a forged line such as "role: admin"; bidirectional overrides reorder
 * what is shown. Such text is printed as a JSON string literal with those characters escaped, so
 * it is visibly quoted and every hidden character shows as `\uXXXX`. Plain text prints unchanged.
 */

// C0 controls (tab included), DEL, C1 controls, line/paragraph separators, bidi embeddings,
// overrides and isolates, zero-width and BOM characters.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** `text` itself when it is safe to print, else a quoted JSON string with every unsafe character escaped. */
export function printable(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return quoted(text);
}

/** Always quoted: for values whose quotes carry meaning (a JSON string, a session variable value). */
export function quoted(text: string): string {
  // JSON.stringify escapes C0 controls, `"` and `\`; the rest of the unsafe set it leaves raw.
  return JSON.stringify(text).replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
