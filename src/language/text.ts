// User text shown back to the user: in a diagnostic message, a terminal or a hover. A file is
// untrusted input, so what it contains is shown, never acted on: control characters (which a
// terminal would obey: set its title, erase lines) are written as escapes, and a long run is cut.

/** C0 and C1 controls, DEL, and the line/paragraph separators: everything a terminal or an editor may act on. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  if (code === 0) return '\\0';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text for a terminal: control characters as escapes; line breaks and tabs stay. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** A piece of the user's text quoted inside a message: one line, controls escaped, at most `max` characters of it. */
export function quoteText(text: string, max = 24): string {
  const cut = text.length > max ? text.slice(0, text.codePointAt(max - 1)! > 0xffff ? max + 1 : max) : text;
  const shown = cut.replace(CONTROL_OR_BREAK, escapeOne);
  return text.length > cut.length ? `'${shown}…' (${text.length.toLocaleString('en-US')} characters)` : `'${shown}'`;
}
