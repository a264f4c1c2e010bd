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

/** No character of `text` is one a terminal would act on or hide. */
export function isSafeToPrint(text: string): boolean {
  return !UNSAFE.test(text);
}

/** `text` itself when it is safe to print, else a quoted JSON string with every unsafe character escaped. */
export function printable(text: string): string {
  return isSafeToPrint(text) ? text : quoted(text);
}

/** Always quoted: for values whose quotes carry meaning (a JSON string, a session variable value). */
export function quoted(text: string): string {
  return escapedJson(JSON.stringify(text));
}

/** `JSON.stringify(value)` with every unsafe character escaped (still valid JSON); undefined for undefined. */
export function quotedJson(value: object | string | number | boolean | null): string;
export function quotedJson(value: unknown): string | undefined;
export function quotedJson(value: unknown): string | undefined {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? undefined : escapedJson(json);
}

// JSON.stringify escapes C0 controls, `"` and `\`; the rest of the unsafe set it leaves raw, and
// only ever inside a string, where `\uXXXX` means the same character.
function escapedJson(json: string): string {
  return json.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
